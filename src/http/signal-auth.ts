import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** Compares secrets in constant time: both sides are hashed first, so their lengths leak nothing either. */
export function secretsEqual(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

export function bearerMatches(header: string | undefined, token: string): boolean {
  const match = /^Bearer ([^\s]+)\s*$/i.exec(header ?? '');
  return match?.[1] !== undefined && secretsEqual(match[1], token);
}

export interface HmacSettings {
  secret: string;
  /** Where Grafana puts the hex signature (its default: X-Grafana-Alerting-Signature). */
  header: string;
  /** Where Grafana puts the Unix timestamp it signed with the body (`timestamp:body`). */
  timestampHeader: string;
  maxSkewSeconds: number;
}

export type HmacCheck = { ok: true } | { ok: false; problem: string };

/**
 * Grafana's webhook HMAC: hex HMAC-SHA256 of `timestamp + ":" + body`. The timestamp is required and must be
 * recent, so a captured request cannot be replayed later.
 */
export function checkGrafanaHmac(
  settings: HmacSettings,
  headers: Record<string, string | string[] | undefined>,
  body: string,
  nowMs: number,
): HmacCheck {
  const signature = headers[settings.header.toLowerCase()];
  const timestamp = headers[settings.timestampHeader.toLowerCase()];
  if (typeof signature !== 'string' || signature === '') return { ok: false, problem: `${settings.header} is missing` };
  if (typeof timestamp !== 'string' || !/^\d{1,12}$/.test(timestamp))
    return { ok: false, problem: `${settings.timestampHeader} is missing or not a Unix time` };
  if (Math.abs(nowMs / 1000 - Number(timestamp)) > settings.maxSkewSeconds)
    return { ok: false, problem: `${settings.timestampHeader} is too far from now (replayed or a wrong clock)` };
  const expected = createHmac('sha256', settings.secret).update(`${timestamp}:${body}`).digest('hex');
  return secretsEqual(signature.trim().toLowerCase(), expected)
    ? { ok: true }
    : { ok: false, problem: 'bad signature' };
}
