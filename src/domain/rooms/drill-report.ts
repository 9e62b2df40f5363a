import { humanDuration } from '../time';

/** One drill's headline times, in ms (null when the drill never got that far). */
export interface DrillTimes {
  incidentId: number;
  timeToRevokeMs: number | null;
  timeToResolveMs: number | null;
}

export interface DrillComparison {
  current: DrillTimes;
  /** Earlier resolved drills, newest first. */
  earlier: DrillTimes[];
  /** Median of the earlier drills' times; null when there is nothing to compare with. */
  previousRevokeMs: number | null;
  previousResolveMs: number | null;
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? null)
    : Math.round(((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2);
}

/** Compares a drill's times with the median of the last `window` drills: a team sees itself get faster. */
export function compareDrill(current: DrillTimes, earlier: DrillTimes[], window = 5): DrillComparison {
  const last = earlier.slice(0, window);
  return {
    current,
    earlier: last,
    previousRevokeMs: median(last.flatMap((d) => (d.timeToRevokeMs === null ? [] : [d.timeToRevokeMs]))),
    previousResolveMs: median(last.flatMap((d) => (d.timeToResolveMs === null ? [] : [d.timeToResolveMs]))),
  };
}

function versus(now: number | null, before: number | null): string {
  if (now === null) return 'not recorded';
  const own = humanDuration(Math.max(0, now));
  if (before === null) return own;
  const delta = now - before;
  if (delta === 0) return `${own} (same as the last drills)`;
  return `${own} (${humanDuration(Math.abs(delta))} ${delta < 0 ? 'faster' : 'slower'} than the last drills' ${humanDuration(before)})`;
}

/** The lines posted when a drill is resolved. */
export function drillReportLines(comparison: DrillComparison): string[] {
  const { current } = comparison;
  if (comparison.earlier.length === 0) {
    return [
      `Time to revoke: ${versus(current.timeToRevokeMs, null)}. Time to resolve: ${versus(current.timeToResolveMs, null)}.`,
      'This is the first drill on record: the next one will be compared with it.',
    ];
  }
  return [
    `Time to revoke: ${versus(current.timeToRevokeMs, comparison.previousRevokeMs)}.`,
    `Time to resolve: ${versus(current.timeToResolveMs, comparison.previousResolveMs)}.`,
    `Compared with the median of the last ${comparison.earlier.length} drill${comparison.earlier.length === 1 ? '' : 's'}.`,
  ];
}
