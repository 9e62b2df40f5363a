// The domain's vocabulary. Pure data: nothing here knows Slack or SQL.

export const ENVIRONMENTS = ['production', 'staging', 'development'] as const;
export type Environment = (typeof ENVIRONMENTS)[number];

export const KEY_MODES = ['live', 'test', 'unknown'] as const;
export type KeyMode = (typeof KEY_MODES)[number];

export const SEVERITIES = ['SEV1', 'SEV2', 'SEV3'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** The compromise playbook, in PayKore's order. */
export const STEPS = ['revoke', 'review', 'support', 'redeploy'] as const;
export type Step = (typeof STEPS)[number];

export const RESOLUTIONS = ['revoked', 'false_positive', 'used_in_tests', 'wont_fix'] as const;
export type Resolution = (typeof RESOLUTIONS)[number];

export const REVIEW_OUTCOMES = ['nothing_unrecognised', 'suspicious_found'] as const;
export type ReviewOutcome = (typeof REVIEW_OUTCOMES)[number];

export type IncidentStatus = 'open' | 'resolved';

/** A Slack user id (`U…`/`W…`), or `bot` for what the bot itself did (nudges, reminders). */
export type Actor = string;
export const BOT_ACTOR: Actor = 'bot';

export interface StepRecord {
  step: Step;
  at: number;
  by: Actor;
  details: Record<string, unknown>;
}

export interface Incident {
  /** The number n of `INC-n`. */
  id: number;
  channelId: string;
  keyLabel: string;
  environment: Environment;
  keyMode: KeyMode;
  severity: Severity;
  how: string;
  openedBy: Actor;
  /** Epoch ms (UTC) of detection: when the incident was opened. */
  openedAt: number;
  /** Epoch ms when the exposure began; null when unknown (then the window starts at `openedAt`). */
  exposureStart: number | null;
  status: IncidentStatus;
  resolution: Resolution | null;
  resolvedAt: number | null;
  resolvedBy: Actor | null;
  summary: string;
  /** Slack ts of the incident card, once posted. */
  cardTs: string | null;
  steps: Partial<Record<Step, StepRecord>>;
  /** Who leads now; absent means the person who declared (section 13). */
  lead?: Actor;
  /** A practice incident: never touches the key register or the status channel. */
  drill?: boolean;
  /** Where the incident was asked to live; absent means `here`. */
  room?: RoomChoice;
}

export const ROOM_CHOICES = ['here', 'new', 'private'] as const;
export type RoomChoice = (typeof ROOM_CHOICES)[number];

/** The incident's lead: the declarer until a handover. */
export function leadOf(incident: Pick<Incident, 'lead' | 'openedBy'>): Actor {
  return incident.lead ?? incident.openedBy;
}

export { incidentRef } from './refs';

/** Every kind of entry in the append-only event log. */
export const EVENT_TYPES = [
  'incident_opened',
  'key_revoked',
  'transactions_reviewed',
  'support_contacted',
  'key_redeployed',
  'incident_resolved',
  'note_added',
  'action_refused',
  'revoke_nudge',
  'idle_reminder',
  // planned rotation (ROT-n streams) and the key register (KEYS stream)
  'rotation_started',
  'rotation_key_created',
  'rotation_deployed',
  'rotation_verified',
  'rotation_old_revoked',
  'key_registered',
  'key_rotated',
  'key_status_changed',
  'reminder_posted',
  'reminder_snoozed',
  // leaked-key detection (LEAKS stream)
  'leak_detected',
  // incident rooms and people (section 13)
  'lead_changed',
  'room_created',
  'room_failed',
  'room_invited',
  'room_archived',
  // the record itself: the first keyed event of a stream found unkeyed (decision 004)
  'record_keyed',
  // rate-limit signals (SIGNALS stream), and a spike reported into an open incident (INC-n)
  'signal_spike_detected',
  'signal_spike_ended',
  'signal_dismissed',
  'signal_incident_opened',
  'signal_key_refused',
  'rate_limit_spike',
  'rate_limit_spike_ended',
  // the incident's key seen again (chat, a command or form, Git, a signal body) while the incident is open
  'key_seen_again',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** The step an event type completes, for the four playbook steps. */
export const STEP_EVENT = {
  revoke: 'key_revoked',
  review: 'transactions_reviewed',
  support: 'support_contacted',
  redeploy: 'key_redeployed',
} as const satisfies Record<Step, EventType>;

/**
 * One entry of the log. `stream` groups events into one hash chain: `INC-n` for an incident,
 * `ROT-n` for a planned rotation, `KEYS` for the key register, `LEAKS` for detections.
 * `seq` counts from 1 within its stream.
 */
export interface TimelineEvent {
  stream: string;
  seq: number;
  at: number;
  actor: Actor;
  type: EventType;
  details: Record<string, unknown>;
  prevHash: string;
  hash: string;
}

export type NewEvent = Omit<TimelineEvent, 'seq' | 'prevHash' | 'hash'>;
