import { inferEnvironment } from '../../../domain/keys/environment';
import { validateKeyLabel } from '../../../domain/keys/key-label';
import { refuse } from '../../../domain/refusal';
import { incidentRef, leadOf } from '../../../domain/types';
import { refusalText } from '../../blocks/refusal-text';
import { escapeMrkdwn, mention } from '../../blocks/slack-time';
import { outcomeReply } from '../incident-outcome';
import type { SubcommandTable } from './command-context';

const DEFAULT_DRILL_LABEL = 'drill-key';

/** `lead` hands over the incident lead (responders only, to a responder); `drill` opens a practice incident. */
export const roomSubcommands: SubcommandTable = {
  lead: {
    capability: 'responder',
    async run(command, cmd, deps) {
      const incident =
        command.incidentId !== null
          ? deps.incidents.get(command.incidentId)
          : deps.incidents.openInChannel(cmd.channelId);
      if (!incident || incident.channelId !== cmd.channelId) {
        return {
          text:
            command.incidentId !== null
              ? `I can't find ${incidentRef(command.incidentId)} in this channel.`
              : 'There is no open incident in this channel. Name one, like `INC-3`.',
        };
      }
      if (!(await deps.authorizer.allows(command.userId, 'responder'))) {
        // The attempt belongs in the record like any refused action.
        const refusal = refuse('lead_not_responder', { user: command.userId, incident: incident.id });
        await deps.write(() =>
          deps.refusals.record({
            stream: incidentRef(incident.id),
            actor: cmd.actor,
            action: 'command:lead',
            refusal,
            idempotencyKey: cmd.commandKey,
          }),
        );
        return { text: refusalText(refusal) };
      }
      if (leadOf(incident) === command.userId)
        return { text: `${mention(command.userId)} already leads ${incidentRef(incident.id)}.` };
      const outcome = await deps.write(() =>
        deps.incidents.changeLead({
          incidentId: incident.id,
          channelId: cmd.channelId,
          actor: cmd.actor,
          lead: command.userId,
          idempotencyKey: cmd.commandKey,
        }),
      );
      deps.notify();
      return {
        text: outcomeReply(outcome) ?? `${mention(command.userId)} leads ${incidentRef(incident.id)} from now on.`,
      };
    },
  },
  drill: {
    capability: 'anyone',
    async run(command, cmd, deps) {
      const label = validateKeyLabel(command.keyLabel ?? DEFAULT_DRILL_LABEL);
      if (!label.ok) return { text: refusalText(label) };
      const environment = command.environment ?? inferEnvironment(label.label) ?? 'production';
      const outcome = await deps.write(() =>
        deps.incidents.open({
          channelId: cmd.channelId,
          actor: cmd.actor,
          keyLabel: label.label,
          environment,
          keyMode: 'unknown',
          exposureStart: null,
          revokedAt: null,
          how: 'Drill: a practice run of the compromise playbook. No key was exposed.',
          idempotencyKey: cmd.commandKey,
          drill: true,
        }),
      );
      if (outcome.kind === 'refused' || outcome.kind === 'not_found') return { text: outcomeReply(outcome) ?? '' };
      deps.notify();
      return {
        text: `DRILL ${incidentRef(outcome.value.id)} started for \`${escapeMrkdwn(label.label)}\` (${environment}). Run the playbook as you would for real: the key register and the status channel are left alone.`,
      };
    },
  },
};
