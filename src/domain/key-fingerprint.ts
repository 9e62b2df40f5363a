import { createHmac } from 'node:crypto';

// A keyed fingerprint lets the bot recognise the same leaked key twice without storing it. Keyed, not a plain
// hash, so a copy of the database alone cannot be used to confirm a guessed key.

const SECRET_BYTES = 32;

/** Hex HMAC-SHA256 of the full key, keyed by the server-side secret (used as the UTF-8 string it is stored as). */
export function fingerprintKey(key: string, secret: string): string {
  if (secret.length === 0) throw new RangeError('fingerprint secret must not be empty');
  return createHmac('sha256', secret).update(key, 'utf8').digest('hex');
}

/** A new 256-bit fingerprint secret as 64 hex characters, from the injected random source. */
export function newFingerprintSecretHex(randomBytes: (n: number) => Uint8Array): string {
  const bytes = randomBytes(SECRET_BYTES);
  if (bytes.length !== SECRET_BYTES) {
    throw new RangeError(`random source returned ${bytes.length} bytes, expected ${SECRET_BYTES}`);
  }
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
