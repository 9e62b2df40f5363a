import { createHash, createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, eventHash, keyedEventHash, withSortedKeys } from '../../src/domain/event-chain';
import { EVENT_TYPES } from '../../src/domain/types';

// The form every stored hash was computed over, written the obvious way: the fast version must never differ from
// it, or every chain recorded so far would stop verifying.
function reference(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(reference).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${reference(v)}`).join(',')}}`;
}

const details = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.string({ unit: 'binary' }),
    fc.double(),
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.constant(undefined),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.string({ unit: 'binary', maxLength: 6 }), tie('value'), { maxKeys: 5 }),
  ),
})).value;

describe('canonicalJson', () => {
  it('writes exactly what the reference writes, for any details, keys in any script and order', () => {
    fc.assert(
      fc.property(details, (value) => {
        expect(canonicalJson(value)).toBe(reference(value));
      }),
      {
        numRuns: 2000,
      },
    );
  });

  it('sorts keys by UTF-16 code unit, skips undefined members and keeps undefined array slots empty', () => {
    expect(canonicalJson({ b: 1, a: [undefined, 2], é: true, Z: undefined, 𝒳: null, z: 'x' })).toBe(
      '{"a":[,2],"b":1,"z":"x","é":true,"𝒳":null}',
    );
  });
});

describe('eventHash', () => {
  const event = fc.record({
    stream: fc.string(),
    seq: fc.integer({ min: 1 }),
    at: fc.integer(),
    actor: fc.string(),
    type: fc.constantFrom(...EVENT_TYPES),
    details: fc.dictionary(fc.string({ maxLength: 6 }), details, { maxKeys: 5 }),
    prevHash: fc.string(),
  });

  it('hashes the canonical form of the whole event, as every stored hash was computed', () => {
    fc.assert(
      fc.property(event, (e) => {
        const canonical = reference({ ...e });
        expect(eventHash(e)).toBe(createHash('sha256').update(canonical).digest('hex'));
        const key = Buffer.from('a-test-record-key-0123456789abcdef');
        expect(keyedEventHash(e, key)).toBe(`k1:${createHmac('sha256', key).update(canonical).digest('hex')}`);
      }),
      { numRuns: 500 },
    );
  });
});

describe('withSortedKeys', () => {
  it('gives a value that JSON.stringify writes as the canonical form, for any JSON details', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(JSON.stringify(withSortedKeys(value), null, 2)).toBe(
          JSON.stringify(JSON.parse(canonicalJson(value)), null, 2),
        );
      }),
      { numRuns: 2000 },
    );
    expect(JSON.stringify(withSortedKeys(JSON.parse('{"b":1,"__proto__":{"x":2},"a":[{"d":1,"c":2}]}')))).toBe(
      '{"__proto__":{"x":2},"a":[{"c":2,"d":1}],"b":1}',
    );
  });
});
