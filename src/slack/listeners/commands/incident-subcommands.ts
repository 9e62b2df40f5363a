import { nextStep } from '../../../domain/incident';
import { inferEnvironment } from '../../../domain/keys/environment';
import { validateKeyLabel } from '../../../domain/keys/key-label';
import { STEP_TITLES } from '../../../domain/step-titles';
import { type Incident, incidentRef } from '../../../domain/types';
import { exposureLine } from '../../blocks/exposure-text';
import { helpText } from '../../blocks/help-text';
import { declareModal } from '../../blocks/modals/incident-modals';
import { refusalText } from '../../blocks/refusal-text';
import { escapeMrkdwn, mention, slackDate } from '../../blocks/slack-time';
import { outcomeReply } from '../incident-outcome';
import type { ListenerDeps } from '../registry';
import type { CommandContext, SubcommandTable } from './command-context';

/** The incident a command names, or the channel's open one. */
function targetIncident(incidentId: number | null, ctx: CommandContext, deps: ListenerDeps): Incident | string {
  if (incidentId !== null) {
    const incident = deps.incidents.get(incidentId);
    if (!incident || incident.channelId !== ctx.channelId) {
      return `I can't find ${incidentRef(incidentId)} in this channel.`;
    }
    return incident;
  }
  return (
    deps.incidents.openInChannel(ctx.channelId) ?? 'There is no open incident in this channel. Name one, like `INC-3`.'
  );
}

function statusText(incident: Incident, now: number): string {
  const step = nextStep(incident);
  const lines = [
    `*${incidentRef(incident.id)}* · \`${escapeMrkdwn(incident.keyLabel)}\` (${incident.environment}, ${incident.severity}) · opened by ${mention(incident.openedBy)} ${slackDate(incident.openedAt)}`,
    `${exposureLine(incident, now)}.`,
    incident.status === 'resolved'
      ? `Resolved as \`${incident.resolution}\` ${slackDate(incident.resolvedAt ?? now)}.`
      : step
        ? `Next: ${STEP_TITLES[step]}.`
        : 'All four steps done: ready to resolve.',
  ];
  return lines.join('\n');
}

export const incidentSubcommands: SubcommandTable = {
  declare: {
    capability: 'anyone',
    async run(_command, ctx, deps) {
      await ctx.openView(declareModal({ channelId: ctx.channelId }, { room: deps.incidents.defaultRoom }));
      return null;
    },
  },
  start: {
    capability: 'anyone',
    async run(command, ctx, deps) {
      const label = validateKeyLabel(command.keyLabel);
      if (!label.ok) return { text: refusalText(label) };
      const environment = command.environment ?? inferEnvironment(label.label);
      if (!environment) {
        // Which environment decides the severity: ask rather than guess.
        await ctx.openView(
          declareModal(
            { channelId: ctx.channelId },
            { keyLabel: label.label, how: command.how, room: command.room ?? deps.incidents.defaultRoom },
          ),
        );
        return null;
      }
      const byResponder = await deps.authorizer.allows(ctx.actor, 'responder');
      const outcome = await deps.write(() =>
        deps.incidents.open({
          byResponder,
          channelId: ctx.channelId,
          actor: ctx.actor,
          keyLabel: label.label,
          environment,
          keyMode: 'unknown',
          exposureStart: command.exposureStart,
          revokedAt: command.revokedAt,
          how: command.how,
          idempotencyKey: ctx.commandKey,
          ...(command.room ? { room: command.room } : {}),
        }),
      );
      if (outcome.kind === 'refused') return { text: refusalText(outcome.refusal) };
      if (outcome.kind !== 'done' && outcome.kind !== 'duplicate') return { text: outcomeReply(outcome) ?? '' };
      deps.notify();
      const incident = outcome.value;
      if (incident.room === 'new' || incident.room === 'private') {
        return {
          text: `Opened ${incidentRef(incident.id)} for \`${escapeMrkdwn(incident.keyLabel)}\`. I am creating its ${incident.room === 'private' ? 'private ' : ''}room and inviting the responders; revoke the key now in the PayKore dashboard (Settings → API Keys).`,
        };
      }
      return {
        text: `Opened ${incidentRef(incident.id)} for \`${escapeMrkdwn(incident.keyLabel)}\`. Revoke the key now in the PayKore dashboard (Settings → API Keys), then press *I revoked the key* on the card.`,
      };
    },
  },
  status: {
    capability: 'anyone',
    async run(command, ctx, deps) {
      const incident = targetIncident(command.incidentId, ctx, deps);
      if (typeof incident === 'string') return { text: incident };
      return { text: statusText(incident, deps.incidents.now()) };
    },
  },
  note: {
    capability: 'anyone',
    async run(command, ctx, deps) {
      const incident = targetIncident(command.incidentId, ctx, deps);
      if (typeof incident === 'string') return { text: incident };
      const outcome = await deps.write(() =>
        deps.incidents.addNote({
          incidentId: incident.id,
          channelId: ctx.channelId,
          actor: ctx.actor,
          text: command.text,
          idempotencyKey: ctx.commandKey,
        }),
      );
      deps.notify();
      return { text: outcomeReply(outcome) ?? `Added to the ${incidentRef(incident.id)} timeline.` };
    },
  },
  help: {
    capability: 'anyone',
    async run(command) {
      return { text: helpText(command.unknown) };
    },
  },
  invalid: {
    capability: 'anyone',
    async run(command) {
      return { text: `${command.problem}\nUsage: \`${command.usage}\`` };
    },
  },
};
