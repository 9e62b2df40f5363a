import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { fingerprintKey, newFingerprintSecretHex } from '../../src/domain/key-fingerprint';

// Built at runtime and obviously fake.
const KEY = ['sk', 'live', 'FAKEfingerprintBody0123456789'].join('_');
const OTHER_KEY = ['sk', 'live', 'FAKEfingerprintBody0123456780'].join('_');
const SECRET = 'a1'.repeat(32);

describe('fingerprintKey', () => {
  it('is hex HMAC-SHA256 (RFC 4231 test case 2)', () => {
    expect(fingerprintKey('what do ya want for nothing?', 'Jefe')).toBe(
      '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
    );
  });

  it('gives the same fingerprint for the same key and secret', () => {
    expect(fingerprintKey(KEY, SECRET)).toBe(fingerprintKey(KEY, SECRET));
  });

  it('gives different fingerprints for different keys or different secrets', () => {
    expect(fingerprintKey(OTHER_KEY, SECRET)).not.toBe(fingerprintKey(KEY, SECRET));
    expect(fingerprintKey(KEY, 'b2'.repeat(32))).not.toBe(fingerprintKey(KEY, SECRET));
  });

  it('is 64 lower-case hex characters that do not contain the key', () => {
    const fingerprint = fingerprintKey(KEY, SECRET);
    expect(fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(fingerprint).not.toContain(KEY.slice(-8));
  });

  it('refuses an empty secret, which would make the fingerprint an unkeyed hash', () => {
    expect(() => fingerprintKey(KEY, '')).toThrow(RangeError);
  });
});

describe('newFingerprintSecretHex', () => {
  it('asks the random source for 32 bytes and returns them as hex', () => {
    const requested: number[] = [];
    const secret = newFingerprintSecretHex((n) => {
      requested.push(n);
      return Uint8Array.from({ length: n }, (_, i) => i * 8);
    });
    expect(requested).toEqual([32]);
    expect(secret).toBe(Array.from({ length: 32 }, (_, i) => (i * 8).toString(16).padStart(2, '0')).join(''));
  });

  it('accepts node:crypto randomBytes as the source', () => {
    expect(newFingerprintSecretHex(randomBytes)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('refuses a random source that returns too few bytes', () => {
    expect(() => newFingerprintSecretHex(() => new Uint8Array(16))).toThrow(RangeError);
  });
});
