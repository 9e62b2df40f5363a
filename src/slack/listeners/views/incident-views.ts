import type { EventDetails } from '../../../domain/events/event-schemas';
import { validateDeclaredTimes } from '../../../domain/incident';
import { parseEnvironment } from '../../../domain/keys/environment';
import { validateKeyLabel } from '../../../domain/keys/key-label';
import { RESOLUTIONS, REVIEW_OUTCOMES, ROOM_CHOICES, type STEP_EVENT, type Step } from '../../../domain/types';
import { refusalText } from '../../blocks/refusal-text';
import { CallbackId, Field } from '../../ids';
import {
  dateTimeValue,
  declareMetadataSchema,
  incidentMetadataSchema,
  parseMetadata,
  selectedValue,
  textValue,
  type ViewValues,
} from '../../parse';
import { outcomeReply } from '../incident-outcome';
import type { ViewAnswer, ViewContext, ViewSpec } from '../registry';

const EXPIRED = 'This form no longer matches an incident. Close it and use the buttons on the incident card.';

function firstField(values: ViewValues): string {
  return Object.keys(values)[0] ?? Field.noteText;
}

export const declareView: ViewSpec = {
  callbackId: CallbackId.incidentDeclare,
  capability: 'anyone',
  async run(ctx, deps) {
    const values = ctx.payload.view.state.values;
    const metadata = parseMetadata(declareMetadataSchema, ctx.payload.view.private_metadata);
    if (!metadata) return { errors: { [firstField(values)]: EXPIRED } };
    const errors: Record<string, string> = {};
    const label = validateKeyLabel(textValue(values, Field.keyLabel));
    if (!label.ok) errors[Field.keyLabel] = refusalText(label);
    const environment = parseEnvironment(selectedValue(values, Field.environment) ?? '');
    if (!environment) errors[Field.environment] = 'Choose the environment the key belongs to.';
    const exposureStart = dateTimeValue(values, Field.exposureStart);
    const revokedAt = dateTimeValue(values, Field.revokedAt);
    const times = validateDeclaredTimes({ exposureStart, revokedAt }, deps.incidents.now());
    if (!times.ok) {
      const field = times.code === 'revocation_after_now' ? Field.revokedAt : Field.exposureStart;
      errors[field] = refusalText(times);
    }
    if (Object.keys(errors).length > 0 || !environment || !label.ok) return { errors };
    const byResponder = await deps.authorizer.allows(ctx.actor, 'responder');
    const outcome = await deps.write(() =>
      deps.incidents.open({
        byResponder,
        channelId: metadata.channelId,
        actor: ctx.actor,
        keyLabel: label.label,
        environment,
        keyMode: 'unknown',
        exposureStart,
        revokedAt,
        how: textValue(values, Field.how),
        idempotencyKey: ctx.submitKey,
        room: ROOM_CHOICES.find((choice) => choice === selectedValue(values, Field.room)) ?? deps.incidents.defaultRoom,
      }),
    );
    if (outcome.kind === 'refused') return { errors: { [Field.exposureStart]: refusalText(outcome.refusal) } };
    return undefined;
  },
};

/**
 * A step form: its answer is recorded in one transaction with the state change, or refused with the reason. The
 * details are typed by the event the step records (domain/events/event-schemas.ts), so the form writes what
 * every reader of that event expects.
 */
type FormReading<S extends Step> =
  | { details: EventDetails<(typeof STEP_EVENT)[S]> }
  | { errors: Record<string, string> };

function stepView<S extends Step>(
  callbackId: ViewSpec['callbackId'],
  step: S,
  read: (values: ViewValues) => FormReading<S>,
): ViewSpec {
  return {
    callbackId,
    capability: 'responder',
    async run(ctx, deps) {
      const values = ctx.payload.view.state.values;
      const metadata = parseMetadata(incidentMetadataSchema, ctx.payload.view.private_metadata);
      if (!metadata) return { errors: { [firstField(values)]: EXPIRED } };
      const read_ = read(values);
      if ('errors' in read_) return read_;
      const outcome = await deps.write(() =>
        deps.incidents.completeStep({
          incidentId: metadata.incidentId,
          channelId: metadata.channelId,
          step,
          actor: ctx.actor,
          details: read_.details,
          idempotencyKey: ctx.submitKey,
        }),
      );
      return afterReply(ctx, metadata.channelId, outcomeReply(outcome));
    },
  };
}

function afterReply(ctx: ViewContext, channelId: string, text: string | null): ViewAnswer {
  if (!text) return undefined;
  return { after: () => ctx.replyIn(channelId, text) };
}

/** Transaction ids as typed: one per line or comma-separated, trimmed, de-duplicated. */
function transactionIds(text: string): string[] {
  return [
    ...new Set(
      text
        .split(/[\s,;]+/)
        .map((id) => id.trim())
        .filter(Boolean),
    ),
  ];
}

export const reviewView = stepView(CallbackId.incidentReview, 'review', (values): FormReading<'review'> => {
  const outcome = REVIEW_OUTCOMES.find((value) => value === selectedValue(values, Field.reviewOutcome));
  if (!outcome) return { errors: { [Field.reviewOutcome]: 'Say what the review found.' } };
  const ids = transactionIds(textValue(values, Field.transactionIds));
  if (ids.length > 100)
    return { errors: { [Field.transactionIds]: 'At most 100 transaction ids; attach the rest as a note.' } };
  if (ids.some((id) => !/^[A-Za-z0-9_\-.:]{1,100}$/.test(id))) {
    return { errors: { [Field.transactionIds]: 'Transaction ids are letters, digits, `_`, `-`, `.` or `:`.' } };
  }
  if (outcome === 'suspicious_found' && ids.length === 0) {
    return { errors: { [Field.transactionIds]: 'List the suspicious transaction ids so support can look at them.' } };
  }
  return { details: { outcome, transactionIds: ids, notes: textValue(values, Field.notes) } };
});

const CONTACT_CHANNELS = ['email', 'dashboard', 'chat', 'phone'] as const;

export const supportView = stepView(CallbackId.incidentSupport, 'support', (values): FormReading<'support'> => {
  const contactChannel = CONTACT_CHANNELS.find((value) => value === selectedValue(values, Field.contactChannel));
  if (!contactChannel) return { errors: { [Field.contactChannel]: 'Say how you contacted PayKore support.' } };
  return { details: { contactChannel, ticketRef: textValue(values, Field.ticketRef) } };
});

export const redeployView = stepView(CallbackId.incidentRedeploy, 'redeploy', (values): FormReading<'redeploy'> => {
  const label = validateKeyLabel(textValue(values, Field.newKeyLabel));
  if (!label.ok) return { errors: { [Field.newKeyLabel]: refusalText(label) } };
  return { details: { newKeyLabel: label.label, deploymentRef: textValue(values, Field.deploymentRef) } };
});

export const resolveView: ViewSpec = {
  callbackId: CallbackId.incidentResolve,
  capability: 'responder',
  async run(ctx, deps) {
    const values = ctx.payload.view.state.values;
    const metadata = parseMetadata(incidentMetadataSchema, ctx.payload.view.private_metadata);
    if (!metadata) return { errors: { [firstField(values)]: EXPIRED } };
    const resolution = RESOLUTIONS.find((value) => value === selectedValue(values, Field.resolution));
    if (!resolution) return { errors: { [Field.resolution]: 'Choose how the incident ended.' } };
    const summary = textValue(values, Field.summary);
    if (!summary) return { errors: { [Field.summary]: 'Write a sentence or two for the postmortem.' } };
    const outcome = await deps.write(() =>
      deps.incidents.resolve({
        incidentId: metadata.incidentId,
        channelId: metadata.channelId,
        actor: ctx.actor,
        resolution,
        summary,
        idempotencyKey: ctx.submitKey,
      }),
    );
    return afterReply(ctx, metadata.channelId, outcomeReply(outcome));
  },
};

export const noteView: ViewSpec = {
  callbackId: CallbackId.incidentNote,
  capability: 'anyone',
  async run(ctx, deps) {
    const values = ctx.payload.view.state.values;
    const metadata = parseMetadata(incidentMetadataSchema, ctx.payload.view.private_metadata);
    if (!metadata) return { errors: { [firstField(values)]: EXPIRED } };
    const text = textValue(values, Field.noteText);
    if (!text) return { errors: { [Field.noteText]: 'Write the note first.' } };
    const outcome = await deps.write(() =>
      deps.incidents.addNote({
        incidentId: metadata.incidentId,
        channelId: metadata.channelId,
        actor: ctx.actor,
        text,
        idempotencyKey: ctx.submitKey,
      }),
    );
    return afterReply(ctx, metadata.channelId, outcomeReply(outcome));
  },
};

/** Every form of the playbook, registered whole by the playbook feature: a new form is added here. */
export const incidentViews: ViewSpec[] = [declareView, reviewView, supportView, redeployView, resolveView, noteView];
