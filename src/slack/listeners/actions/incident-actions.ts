import type { ModalView } from '@slack/web-api';
import { COMMAND } from '../../../domain/command-name';
import { decideResolve, decideStep } from '../../../domain/incident';
import { bumpLabelVersion } from '../../../domain/keys/key-label';
import { incidentRef } from '../../../domain/refs';
import type { Incident, Step } from '../../../domain/types';
import { noteModal, redeployModal, resolveModal, reviewModal, supportModal } from '../../blocks/modals/incident-modals';
import { refusalText } from '../../blocks/refusal-text';
import { ActionId, type ActionIdValue } from '../../ids';
import { incidentRefSchema } from '../../parse';
import { outcomeReply } from '../incident-outcome';
import type { ActionContext, ActionSpec, ListenerDeps } from '../registry';

/** The incident a button names, if it exists in the channel the click came from. */
function clickedIncident(ctx: ActionContext, deps: ListenerDeps): Incident | null {
  const parsed = incidentRefSchema.safeParse(ctx.action.value ?? '');
  if (!parsed.success) return null;
  const incident = deps.incidents.get(parsed.data);
  if (!incident) return null;
  const channelId = ctx.payload.channel?.id;
  return channelId && channelId !== incident.channelId ? null : incident;
}

const UNKNOWN = `That button doesn't point at an incident in this channel. Use \`${COMMAND} status\` to find it.`;

export const revokeButton: ActionSpec = {
  actionId: ActionId.incidentRevoke,
  capability: 'responder',
  async run(ctx, deps) {
    const incident = clickedIncident(ctx, deps);
    if (!incident) return ctx.reply(UNKNOWN);
    const outcome = await deps.write(() =>
      deps.incidents.completeStep({
        incidentId: incident.id,
        channelId: incident.channelId,
        step: 'revoke',
        actor: ctx.actor,
        details: {},
        idempotencyKey: ctx.clickKey,
      }),
    );
    deps.notify();
    const text = outcomeReply(outcome);
    if (text) await ctx.reply(text);
  },
};

/** A step with a form: refuse out of order before opening it, so nobody fills in a form that cannot be saved. */
function modalStepButton(
  actionId: ActionIdValue,
  step: Step,
  build: (incident: Incident, deps: ListenerDeps) => ModalView,
): ActionSpec {
  return {
    actionId,
    capability: 'responder',
    acknowledge: 'first',
    async run(ctx, deps) {
      const incident = clickedIncident(ctx, deps);
      if (!incident) return ctx.reply(UNKNOWN);
      const decision = decideStep(incident, step);
      if (!decision.ok) {
        await deps.write(() =>
          deps.refusals.record({
            stream: incidentRef(incident.id),
            actor: ctx.actor,
            action: `step:${step}`,
            refusal: decision,
            idempotencyKey: ctx.clickKey,
          }),
        );
        return ctx.reply(refusalText(decision));
      }
      await ctx.openView(build(incident, deps));
    },
  };
}

export const reviewButton = modalStepButton(ActionId.incidentReview, 'review', (incident, deps) =>
  reviewModal(incident, deps.incidents.now()),
);
export const supportButton = modalStepButton(ActionId.incidentSupport, 'support', (incident, deps) =>
  supportModal(incident, deps.incidents.now()),
);
export const redeployButton = modalStepButton(ActionId.incidentRedeploy, 'redeploy', (incident) =>
  redeployModal(incident, bumpLabelVersion(incident.keyLabel)),
);

export const resolveButton: ActionSpec = {
  actionId: ActionId.incidentResolve,
  capability: 'responder',
  acknowledge: 'first',
  async run(ctx, deps) {
    const incident = clickedIncident(ctx, deps);
    if (!incident) return ctx.reply(UNKNOWN);
    const decision = decideResolve(incident);
    if (!decision.ok) {
      await deps.write(() =>
        deps.refusals.record({
          stream: incidentRef(incident.id),
          actor: ctx.actor,
          action: 'resolve',
          refusal: decision,
          idempotencyKey: ctx.clickKey,
        }),
      );
      return ctx.reply(refusalText(decision));
    }
    await ctx.openView(resolveModal(incident));
  },
};

export const noteButton: ActionSpec = {
  actionId: ActionId.incidentNote,
  capability: 'anyone',
  acknowledge: 'first',
  async run(ctx, deps) {
    const incident = clickedIncident(ctx, deps);
    if (!incident) return ctx.reply(UNKNOWN);
    await ctx.openView(noteModal(incident));
  },
};

/** Every button of the incident card, registered whole by the playbook feature: a new button is added here. */
export const incidentActions: ActionSpec[] = [
  revokeButton,
  reviewButton,
  supportButton,
  redeployButton,
  resolveButton,
  noteButton,
];
