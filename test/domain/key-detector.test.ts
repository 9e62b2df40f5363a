import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { maskStoredText } from '../../src/db/secret-guard';
import {
  containsSecretKey,
  type DetectedKey,
  findSecretKeys,
  maskKey,
  maskKeyShapesDeep,
  redactSecretKeys,
  type SecretKeyMode,
} from '../../src/domain/key-detector';

// Every key here is built at runtime from a seeded generator: random-looking enough to be detected,
// never a real key, and the same on every run.
const BASE62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function fakeBody(seed: number, length = 32): string {
  let state = seed >>> 0;
  let body = '';
  for (let i = 0; i < length; i++) {
    // mulberry32
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    const r = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    body += BASE62[Math.floor(r * 62)];
  }
  return body;
}

const key = (mode: SecretKeyMode, body: string) => `sk_${mode}_${body}`;

const LIVE = key('live', fakeBody(1));
const LIVE2 = key('live', fakeBody(2, 99));
const TEST = key('test', fakeBody(3, 40));
const SHORTEST = key('live', fakeBody(4, 24));

function summary(found: DetectedKey[]) {
  return found.map(({ mode, last4, key }) => ({ mode, last4, key }));
}

function expected(...keys: string[]) {
  return keys.map((k) => ({ mode: k.startsWith('sk_live_') ? 'live' : 'test', last4: k.slice(-4), key: k }));
}

describe('findSecretKeys', () => {
  const found: Array<[string, string, string[]]> = [
    ['in plain text', `we pasted ${LIVE} by mistake`, [LIVE]],
    ['at the start of the text', `${LIVE} is the prod key`, [LIVE]],
    ['at the end of the text', `the prod key is ${LIVE}`, [LIVE]],
    ['as the whole text', LIVE, [LIVE]],
    ['with the shortest body (24 characters)', `key ${SHORTEST} here`, [SHORTEST]],
    ['in test mode', `staging uses ${TEST}`, [TEST]],
    ['in a code span', `try \`${LIVE}\` again`, [LIVE]],
    ['in a code block', `\`\`\`\nconst key = '${LIVE}';\n\`\`\``, [LIVE]],
    ['right after a code block fence', `\`\`\`${LIVE}\`\`\``, [LIVE]],
    ['in a Slack link url', `see <https://x.test/?k=${LIVE}|the dashboard>`, [LIVE]],
    ['in a Slack link label', `see <https://x.test/|${LIVE}>`, [LIVE]],
    ['in a Slack link path', `<https://x.test/keys/${LIVE}>`, [LIVE]],
    ['in a Slack mailto link', `<mailto:ops@x.test?subject=${LIVE}|mail ops>`, [LIVE]],
    ['after a Slack mention', `<@U0123ABCD|alice> ${LIVE}`, [LIVE]],
    ['in an env assignment', `PAYKORE_KEY=${LIVE}`, [LIVE]],
    ['after a colon without a space', `secret_key:${TEST}`, [TEST]],
    ['in YAML', `paykore:\n  secret_key: ${TEST}\n`, [TEST]],
    ['in double quotes', `{"key":"${LIVE}"}`, [LIVE]],
    ['in single quotes', `key = '${TEST}'`, [TEST]],
    ['in a URL-encoded query', `https://x.test/cb?cfg=key%3D${LIVE}%26env%3Dprod`, [LIVE]],
    ['after an escaped newline in a log line', `{"msg":"config dump\\n${LIVE}\\n"}`, [LIVE]],
    ['in Slack italics', `_${LIVE}_`, [LIVE]],
    ['in Slack bold and strike', `*${LIVE}* ~${TEST}~`, [LIVE, TEST]],
    ['between Slack-escaped angle brackets', `&lt;${LIVE}&gt;`, [LIVE]],
    ['up to the first character that is not a letter or digit', `${LIVE}.${fakeBody(9, 8)}`, [LIVE]],
    ['when two different keys are in one message', `old ${LIVE}\nnew ${LIVE2}`, [LIVE, LIVE2]],
    ['once when the same key appears twice', `${LIVE} and again ${LIVE}`, [LIVE]],
    ['when two keys are pasted without a separator', `${LIVE}${TEST}`, [LIVE, TEST]],
    ['after a tab and before a newline', `\t${TEST}\n`, [TEST]],
  ];

  it.each(found)('finds a key %s', (_, text, keys) => {
    expect(summary(findSecretKeys(text))).toEqual(expected(...keys));
  });

  const notFound: Array<[string, string]> = [
    ['a live publishable key', `mobile uses pk_live_${fakeBody(5)}`],
    ['a test publishable key', `pk_test_${fakeBody(6)}`],
    ['a key glued to a preceding word', `foo${LIVE}`],
    ['a key glued to a preceding digit', `7${LIVE}`],
    ['a key glued to a preceding identifier with an underscore', `old_${LIVE}`],
    ['a body of 23 characters', key('live', fakeBody(7, 23))],
    ['an upper-case prefix', `SK_LIVE_${fakeBody(8)}`],
    ['an X placeholder', 'sk_live_XXXXXXXXXXXXXXXXXXXXXXXX'],
    ['a lower-case x placeholder', 'PAYKORE_KEY=sk_test_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'],
    ['a your_key_here placeholder', 'sk_test_your_key_here'],
    ['a zero placeholder', 'sk_live_000000000000000000000000'],
    ['an alphabet sequence', 'sk_test_abcdefghijklmnopqrstuvwxyz'],
    ['a digit sequence', 'sk_live_123456789012345678901234567890'],
    ['a body of two alternating characters', 'sk_live_abababababababababababab'],
    ['a short random prefix padded with zeros', `sk_live_${fakeBody(10, 10)}00000000000000000000`],
    ['a partly random body ending in X padding', `sk_live_${fakeBody(11, 16)}XXXXXXXXXXXX`],
    ['a body saying REDACTED', 'sk_live_REDACTEDREDACTEDREDACTED'],
    ['a body containing EXAMPLE', `sk_test_${fakeBody(12, 12)}Example${fakeBody(13, 12)}`],
    ['a body containing PLACEHOLDER', `sk_live_placeholder${fakeBody(14, 16)}`],
    ['a body containing YOURKEY', `sk_live_YourKey${fakeBody(15, 20)}`],
    ['a masked key', `sk_live_\u2026${fakeBody(16, 4)}`],
    ['a key body broken by a hyphen', `sk_live_${fakeBody(17, 12)}-${fakeBody(18, 12)}`],
  ];

  it.each(notFound)('ignores %s', (_, text) => {
    expect(findSecretKeys(text)).toEqual([]);
    expect(containsSecretKey(text)).toBe(false);
  });

  it('reports offsets that slice the key out of the text, first occurrence for a repeated key', () => {
    const text = `a ${LIVE} b ${TEST} c ${LIVE}`;
    const keys = findSecretKeys(text);
    expect(keys.map((k) => k.start)).toEqual([2, 2 + LIVE.length + 3]);
    for (const k of keys) expect(text.slice(k.start, k.end)).toBe(k.key);
  });
});

describe('containsSecretKey', () => {
  it('is true when the text holds a key', () => {
    expect(containsSecretKey(`x ${TEST} y`)).toBe(true);
  });
});

describe('maskKey', () => {
  it('shows the mode and the last four characters after an ellipsis', () => {
    expect(maskKey({ mode: 'live', last4: '7Q2x' })).toBe('sk_live_\u20267Q2x');
    expect(maskKey({ mode: 'test', last4: 'ab12' })).toBe('sk_test_\u2026ab12');
  });

  it('never shows more than four characters even when given more', () => {
    expect(maskKey({ mode: 'live', last4: 'abcdef7Q2x' })).toBe('sk_live_\u20267Q2x');
  });
});

describe('redactSecretKeys', () => {
  it('replaces every occurrence of every key with its mask and keeps the rest', () => {
    const text = `PAYKORE_KEY=${LIVE} then "${TEST}" then ${LIVE}.`;
    const liveMask = `sk_live_\u2026${LIVE.slice(-4)}`;
    const testMask = `sk_test_\u2026${TEST.slice(-4)}`;
    expect(redactSecretKeys(text)).toBe(`PAYKORE_KEY=${liveMask} then "${testMask}" then ${liveMask}.`);
  });

  it('leaves placeholders and publishable keys alone', () => {
    const text = `sk_live_XXXXXXXXXXXXXXXXXXXXXXXX pk_live_${fakeBody(19)}`;
    expect(redactSecretKeys(text)).toBe(text);
  });

  it('produces text in which no key is found again', () => {
    expect(findSecretKeys(redactSecretKeys(`${LIVE} ${LIVE2}${TEST}`))).toEqual([]);
  });
});

// Property tests. Bodies come from fc.noBias so characters are uniform like a real key's; fast-check's default
// bias towards small values would otherwise produce low-entropy bodies that are rightly rejected.
const RUNS = { numRuns: 1000 };
const base62Char = fc.constantFrom(...BASE62);
const randomBody = fc.noBias(fc.string({ unit: base62Char, minLength: 24, maxLength: 99, size: 'max' }));
const mode = fc.constantFrom<SecretKeyMode>('live', 'test');
// Surroundings never hold `_` or `%`, so they cannot form a key or an encoded boundary on their own.
const surroundingChar = fc.constantFrom(
  ...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789',
  ...' \n\t.,;:!?()[]{}"\'=-/*~#@&`<|>',
);
const surroundingText = fc.string({ unit: surroundingChar, maxLength: 40 });
const separator = fc.constantFrom(...' \n\t.,;:!?()[]{}"\'=-/*~#@&`<|>');
const before = fc.tuple(surroundingText, separator).map(([text, sep]) => text + sep);
const after = fc.tuple(separator, surroundingText).map(([sep, text]) => sep + text);
const embedding = fc.record({
  before: fc.oneof(fc.constant(''), before),
  after: fc.oneof(fc.constant(''), after),
});

describe('findSecretKeys properties', () => {
  it('finds a random base62 body of 24 to 99 characters in random surroundings, exactly', () => {
    fc.assert(
      fc.property(mode, randomBody, embedding, (m, body, { before, after }) => {
        const text = `${before}sk_${m}_${body}${after}`;
        const start = before.length;
        const k = key(m, body);
        expect(findSecretKeys(text)).toEqual([
          { mode: m, last4: body.slice(-4), start, end: start + k.length, key: k },
        ]);
      }),
      RUNS,
    );
  });

  const padding = fc.string({ unit: base62Char, maxLength: 30 });
  const word = fc.constantFrom('redacted', 'placeholder', 'example', 'yourkey', 'yoursecret', 'changeme', 'replaceme');
  const randomCase = (text: string, flips: boolean[]) =>
    [...text].map((c, i) => (flips[i % flips.length] ? c.toUpperCase() : c)).join('');
  const placeholderBody = fc.oneof(
    // one character repeated
    fc.tuple(base62Char, fc.integer({ min: 24, max: 99 })).map(([c, n]) => c.repeat(n)),
    // only two distinct characters
    fc
      .tuple(base62Char, base62Char, fc.array(fc.boolean(), { minLength: 24, maxLength: 99 }))
      .map(([a, b, picks]) => picks.map((p) => (p ? a : b)).join('')),
    // a run of X's anywhere in the body
    fc
      .tuple(padding, fc.constantFrom('X', 'x'), fc.integer({ min: 8, max: 40 }), padding)
      .map(([pre, x, n, post]) => pre + x.repeat(n) + post),
    // a deny-list word, in any case, padded with random characters
    fc
      .tuple(padding, word, fc.array(fc.boolean(), { minLength: 1, maxLength: 12 }), padding)
      .map(([pre, w, flips, post]) => pre + randomCase(w, flips) + post),
    // a run through the alphabet or the digits
    fc
      .tuple(
        fc.constantFrom('abcdefghijklmnopqrstuvwxyz', 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', '0123456789'),
        fc.nat(),
        fc.integer({ min: 24, max: 99 }),
      )
      .map(([seq, offset, n]) => Array.from({ length: n }, (_, i) => seq[(offset + i) % seq.length]).join('')),
  );

  it('never reports a placeholder body, whatever surrounds it', () => {
    fc.assert(
      fc.property(mode, placeholderBody, embedding, (m, body, { before, after }) => {
        const text = `${before}sk_${m}_${body}${after}`;
        expect(findSecretKeys(text)).toEqual([]);
        expect(redactSecretKeys(text)).toBe(text);
      }),
      RUNS,
    );
  });
});

/** Every 5-character window of the body that includes something before its last four characters. */
function leakableWindows(body: string): string[] {
  return Array.from({ length: body.length - 4 }, (_, i) => body.slice(i, i + 5));
}

describe('masking properties', () => {
  it('maskKey never contains any five characters of the body', () => {
    fc.assert(
      fc.property(mode, randomBody, (m, body) => {
        const masked = maskKey({ mode: m, last4: body.slice(-4) });
        expect(masked.endsWith(body.slice(-4))).toBe(true);
        expect(leakableWindows(body).filter((w) => masked.includes(w))).toEqual([]);
      }),
      RUNS,
    );
  });

  it('redactSecretKeys leaves the surroundings and nothing of the body beyond its last four', () => {
    fc.assert(
      fc.property(mode, randomBody, embedding, (m, body, { before, after }) => {
        const redacted = redactSecretKeys(`${before}sk_${m}_${body}${after}`);
        expect(redacted).toBe(`${before}${maskKey({ mode: m, last4: body.slice(-4) })}${after}`);
        // A window could appear in the random surroundings by chance; that is not a leak.
        const surroundings = `${before}\u0000${after}`;
        const leaked = leakableWindows(body).filter((w) => redacted.includes(w) && !surroundings.includes(w));
        expect(leaked).toEqual([]);
      }),
      RUNS,
    );
  });
});

describe('the storage rule on a value and on its JSON text', () => {
  // A step's details are stored twice: as JSON text in incident_steps (masked by the database guard) and as the
  // chained event's value (masked field by field). The two must agree, or the record check calls the row altered.
  const piece = fc.constantFrom(
    'sk_live_',
    'sk_test_',
    'XXXXXXXXXXXX',
    'a7Hq2Lm9Zp4R',
    '\n',
    '\r\n',
    '\t',
    '  ',
    '> ',
    '\\',
    '"',
    'at handler',
    '_',
  );
  it('stores the same masked details in a row (the database guard) as in the chained event (the event log)', () => {
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 14 }), (parts) => {
        const details = { notes: parts.join('') };
        expect(JSON.parse(maskStoredText(JSON.stringify(details)))).toEqual(maskKeyShapesDeep(details));
      }),
      { numRuns: 3000 },
    );
    // The case the text rule got wrong: a backslash before a line break reads as a nested escape in JSON text.
    const tricky = { notes: 'sk_live_a7Hq2Lm9Zp4R\\\nXXXXXXXXXXXX' };
    expect(JSON.parse(maskStoredText(JSON.stringify(tricky)))).toEqual(maskKeyShapesDeep(tricky));
  });

  it('leaves text with nothing to mask byte for byte as it was, JSON or not', () => {
    for (const text of ['{ "a" : 1, "b_c": [1, 2] }', '[1,"x_y"]', '{not json_', 'plain_text']) {
      expect(maskStoredText(text)).toBe(text);
    }
  });
});
