import { exposureWindow } from '../../domain/incident';
import { humanDuration } from '../../domain/time';
import type { Incident } from '../../domain/types';
import { slackAgo, slackDate } from './slack-time';

// The exposure window in words, worded once: the card and the review form show the span, App Home and
// `status` the one-line state.

/** `start → end (duration)`, or `start → *still active* (duration so far; exposed since <ago>)`. */
export function exposureSpan(incident: Incident, now: number): string {
  const window = exposureWindow(incident, now);
  const start = window.startKnown
    ? slackDate(window.start)
    : `${slackDate(window.start)} (start unknown: detection time)`;
  if (window.end === null) {
    // The card is redrawn at each nudge, at most hourly once nobody acts: `{ago}` keeps the age current in between.
    const since = slackAgo(window.start, `${humanDuration(window.durationMs)} ago`);
    return `${start} → *still active* (${humanDuration(window.durationMs)} so far; exposed since ${since})`;
  }
  return `${start} → ${slackDate(window.end)} (${humanDuration(window.durationMs)})`;
}

/** One line: how long the key has been exposed and whether it still is. */
export function exposureLine(incident: Incident, now: number): string {
  const window = exposureWindow(incident, now);
  const start = window.startKnown ? `since ${slackDate(window.start)}` : 'since detection (start unknown)';
  if (window.end === null)
    return `:red_circle: Key still active: *${humanDuration(window.durationMs)}* of exposure ${start}`;
  return `Exposure: ${humanDuration(window.durationMs)}, ended ${slackDate(window.end)} when the key was revoked`;
}
