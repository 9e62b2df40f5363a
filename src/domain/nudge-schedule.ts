// When the bot nudges about a key that is still active (PRODUCT.md, "Nudges"). The seed: every minute a key stays
// active is a minute of exposure, so the first nudges come every REVOKE_NUDGE_MINUTES. Nobody acting after three of
// them means nobody is reading the thread: from then on the gaps double (3, 6, 12 … intervals) up to one an hour,
// so an incident left alone, or a Slack outage, does not bury the channel or the outbox in nudges.
// With the default 5 minutes: at 5, 10, 15, 30, 60, 120 minutes, then hourly.

/** Nudges at the configured interval before they spread out. */
export const STEADY_NUDGES = 3;
/** The widest gap between two nudges, unless the configured interval is itself wider. */
export const MAX_NUDGE_GAP_MS = 60 * 60_000;

/** The gap before nudge `n` (1-based): the interval for the first three, then 3, 6, 12 … intervals, capped. */
export function nudgeGapMs(n: number, intervalMs: number): number {
  const cap = Math.max(MAX_NUDGE_GAP_MS, intervalMs);
  if (n <= STEADY_NUDGES) return intervalMs;
  const doublings = Math.min(n - STEADY_NUDGES - 1, 30);
  return Math.min(cap, 3 * intervalMs * 2 ** doublings);
}

/** How long after opening nudge `n` is due. */
export function nudgeOffsetMs(n: number, intervalMs: number): number {
  let offset = 0;
  for (let k = 1; k <= n; k += 1) {
    const gap = nudgeGapMs(k, intervalMs);
    if (gap === Math.max(MAX_NUDGE_GAP_MS, intervalMs)) return offset + (n - k + 1) * gap;
    offset += gap;
  }
  return offset;
}

/**
 * How many nudges are due `elapsedMs` after opening: 0 before the first. The tick sends only the newest of them
 * (missed ones fold into it), keyed by this number so each happens once.
 */
export function nudgesDue(elapsedMs: number, intervalMs: number): number {
  if (!(intervalMs > 0) || !(elapsedMs >= intervalMs)) return 0;
  const cap = Math.max(MAX_NUDGE_GAP_MS, intervalMs);
  let n = 0;
  let offset = 0;
  for (;;) {
    const gap = nudgeGapMs(n + 1, intervalMs);
    if (gap === cap) return n + Math.floor((elapsedMs - offset) / cap);
    if (offset + gap > elapsedMs) return n;
    offset += gap;
    n += 1;
  }
}
