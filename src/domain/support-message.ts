import { DetailsReader } from './events/event-schemas';
import { exposureWindow, revokedAt } from './incident';
import { humanDuration, utcMinute as utc } from './time';
import { type Incident, incidentRef } from './types';

/** The message for PayKore support, ready to paste: the seed asks for the approximate time of exposure, even without evidence. */
export function supportMessage(incident: Incident, now: number): string {
  const window = exposureWindow(incident, now);
  const revoked = revokedAt(incident);
  const record = incident.steps.review;
  const review = record ? new DetailsReader('transactions_reviewed', record.details) : null;
  const ids = review?.get('transactionIds') ?? [];
  const reviewLine = !review
    ? 'Transaction review: in progress.'
    : review.get('outcome') === 'suspicious_found'
      ? `Transaction review: suspicious transactions found${ids.length ? `: ${ids.join(', ')}` : ''}.`
      : 'Transaction review: nothing unrecognised in the exposure window so far.';
  const modeText = incident.keyMode === 'unknown' ? 'secret' : `${incident.keyMode} secret`;
  return [
    `Subject: Compromised ${modeText} key "${incident.keyLabel}" (${incident.environment}), our reference ${incidentRef(incident.id)}`,
    '',
    'Hello PayKore support,',
    '',
    `We believe our ${modeText} key "${incident.keyLabel}" used in ${incident.environment} was exposed.`,
    window.startKnown
      ? `Approximate start of exposure: ${utc(window.start)}.`
      : `Start of exposure: unknown; we detected it at ${utc(window.start)}.`,
    revoked !== null
      ? `The key was revoked at ${utc(revoked)} (exposure window ${humanDuration(window.durationMs)}).`
      : 'The key is being revoked now.',
    reviewLine,
    '',
    'Please watch for unusual activity on our account for this window and tell us if you see anything.',
  ].join('\n');
}
