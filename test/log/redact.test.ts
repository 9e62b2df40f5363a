import { describe, expect, it } from 'vitest';
import { redactText, redactValue } from '../../src/log/redact';
import { fakeSecretKey } from '../support/fake-keys';

describe('log redaction of secret keys', () => {
  const key = fakeSecretKey();
  const body = key.slice('sk_live_'.length);

  it.each([
    ['plain text', (k: string) => `key ${k} here`],
    ['a JSON string with an escaped newline before the key', (k: string) => JSON.stringify({ text: `line\n${k}` })],
    ['Slack italics', (k: string) => `_${k}_`],
    ['a percent-encoded form body', (k: string) => `text=key%3D${k}&x=1`],
    ['a code span', (k: string) => `\`${k}\``],
    ['a Slack link', (k: string) => `<https://x.test/?k=${k}|link>`],
    ['two keys pasted together', (k: string) => `${k}${fakeSecretKey('test')}`],
  ])('masks a key in %s, keeping the last four characters only', (_name, build) => {
    const out = redactText(build(key));
    expect(out).not.toContain(body.slice(0, 20));
    expect(out).not.toContain(body.slice(-12, -4));
    expect(out).toContain(`sk_live_\u2026${key.slice(-4)}`);
  });

  it('masks placeholders too, and tokens', () => {
    expect(redactText('sk_live_XXXXXXXXXXXXXXXXXXXXXXXX')).toBe('sk_live_\u2026XXXX');
    expect(redactText('xoxb-1234-5678-abcdefgh')).toBe('xox?-[redacted]');
  });

  it('masks keys inside nested values and drops secret-named fields', () => {
    const out = JSON.stringify(redactValue({ event: { text: key }, token: 'anything' }));
    expect(out).not.toContain(body.slice(0, 20));
    expect(out).toContain('[redacted]');
  });
});
