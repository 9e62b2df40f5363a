import { describe, expect, it } from 'vitest';
import { findKeyShapes, findSecretKeysAnywhere, maskKeyShapes } from '../../src/domain/key-detector';
import { redactText } from '../../src/log/redact';
import { fakeSecretKey, maskOf } from '../support/fake-keys';
import { wrappings } from '../support/key-wrappings';

describe('the storage rule: any key shape is masked, whatever surrounds or breaks it', () => {
  const key = fakeSecretKey('live', 36);
  const body = key.slice('sk_live_'.length);
  for (const { name, text } of wrappings(key)) {
    it(`masks a key ${name}`, () => {
      const masked = maskKeyShapes(text);
      expect(masked).toContain(maskOf(key));
      for (const part of [body.slice(0, 12), body.slice(12, 24), body.slice(-16, -4)]) {
        expect(masked).not.toContain(part);
        expect(redactText(text)).not.toContain(part);
      }
      expect(findSecretKeysAnywhere(text).map((k) => k.key)).toEqual([key]);
    });
  }

  it('masks placeholders too (storage is stricter than warning) but warns only on real keys', () => {
    const placeholder = `sk_test_${'X'.repeat(30)}`;
    expect(maskKeyShapes(placeholder)).toBe('sk_test_\u2026XXXX');
    expect(findSecretKeysAnywhere(placeholder)).toEqual([]);
  });

  it('leaves text without a key shape alone, and is idempotent', () => {
    const text = 'sk_live_short and a line\nbreak; __bold__ \x1b[32mgreen';
    expect(maskKeyShapes(text)).toBe(text);
    const once = maskKeyShapes(`a ${key} b`);
    expect(maskKeyShapes(once)).toBe(once);
    expect(findKeyShapes(once)).toEqual([]);
  });
});

describe('a complete key at the end of a line', () => {
  it('is named by what stood on its line, and the next line is masked with it', () => {
    const key = fakeSecretKey('test', 30);
    const [found] = findSecretKeysAnywhere(`${key}\nthanks`);
    expect(found?.key).toBe(key);
    expect(maskKeyShapes(`${key}\nthanks`)).toBe(maskOf(key));
  });
});
