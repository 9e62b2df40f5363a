import { randomBytes } from 'node:crypto';

const BASE62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** Random base62, like a real key body. */
export function randomBase62(length: number): string {
  return Array.from(randomBytes(length), (byte) => BASE62[byte % 62]).join('');
}

/**
 * An obviously fake PayKore secret key built at run time: `sk_live_FAKE` plus random base62, so it is new every run
 * and the detector treats it as real.
 */
export function fakeSecretKey(mode: 'live' | 'test' = 'live', randomLength = 28): string {
  return ['sk', mode, `FAKE${randomBase62(randomLength)}`].join('_');
}

/** The mask the bot may show: mode and last four characters. */
export function maskOf(key: string): string {
  return `${key.startsWith('sk_live_') ? 'sk_live_' : 'sk_test_'}\u2026${key.slice(-4)}`;
}
