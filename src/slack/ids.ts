// Every Slack id the bot defines, once. A literal id anywhere else is a bug.

export { COMMAND } from '../domain/command-name';

export const ActionId = {
  incidentRevoke: 'incident_revoke',
  incidentReview: 'incident_review',
  incidentSupport: 'incident_support',
  incidentRedeploy: 'incident_redeploy',
  incidentResolve: 'incident_resolve',
  incidentNote: 'incident_note',
  incidentExport: 'incident_export',
  rotationStart: 'rotation_start',
  rotationCreate: 'rotation_create',
  rotationDeploy: 'rotation_deploy',
  rotationVerify: 'rotation_verify',
  rotationRevokeOld: 'rotation_revoke_old',
  reminderMarkRotated: 'reminder_mark_rotated',
  reminderSnooze: 'reminder_snooze',
  leakOpenIncident: 'leak_open_incident',
  signalOpenIncident: 'signal_open_incident',
  signalDismiss: 'signal_dismiss',
} as const;
export type ActionIdValue = (typeof ActionId)[keyof typeof ActionId];

export const CallbackId = {
  incidentDeclare: 'incident_declare_submit',
  incidentReview: 'incident_review_submit',
  incidentSupport: 'incident_support_submit',
  incidentRedeploy: 'incident_redeploy_submit',
  incidentResolve: 'incident_resolve_submit',
  incidentNote: 'incident_note_submit',
  rotationCreate: 'rotation_create_submit',
  signalDismiss: 'signal_dismiss_submit',
} as const;
export type CallbackIdValue = (typeof CallbackId)[keyof typeof CallbackId];

/** Input blocks of our modals: block_id and the action_id of its element share one name. */
export const Field = {
  keyLabel: 'key_label',
  environment: 'environment',
  exposureStart: 'exposure_start',
  revokedAt: 'revoked_at',
  how: 'how',
  reviewOutcome: 'review_outcome',
  transactionIds: 'transaction_ids',
  notes: 'notes',
  ticketRef: 'ticket_ref',
  contactChannel: 'contact_channel',
  newKeyLabel: 'new_key_label',
  deploymentRef: 'deployment_ref',
  resolution: 'resolution',
  summary: 'summary',
  noteText: 'note_text',
  room: 'room',
  dismissReason: 'dismiss_reason',
} as const;
export type FieldValue = (typeof Field)[keyof typeof Field];
