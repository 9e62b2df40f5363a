import { RoomRepository } from '../db/room-repository';
import { inferEnvironment } from '../domain/keys/environment';
import { validateKeyLabel } from '../domain/keys/key-label';
import { incidentRef, leadOf } from '../domain/types';
import { escapeMrkdwn, mention } from '../slack/blocks/slack-time';
import { statusMessage } from '../slack/blocks/status-message';
import type { SubcommandTable } from '../slack/listeners/commands/command-context';
import { outcomeReply } from '../slack/listeners/incident-outcome';
import { RoomTasks, roomSubject } from '../slack/rooms/room-tasks';
import type { FeatureFactory } from './feature';

const DEFAULT_DRILL_LABEL = 'drill-key';

/**
 * Incident rooms, leads, stakeholders and drills (PRODUCT.md section 13). Rooms are outbox tasks (`ROOM-n`) run
 * after the commit that asked for them; the status message is a card of its own (`STATUS-n`) in STATUS_CHANNEL.
 */
export const incidentRooms: FeatureFactory = (ctx) => {
  const { config, store, incidents } = ctx;
  const rooms = new RoomRepository(store.db);
  let botUserId: string | null = null;
  const tasks = new RoomTasks({
    store,
    rooms,
    incidents,
    client: ctx.client,
    logger: ctx.logger,
    responders: config.responders,
    securityGroup: config.securityGroup,
    now: () => ctx.clock().getTime(),
    botUserId: async () => {
      botUserId ??= String((await ctx.client.auth.test()).user_id ?? '');
      return botUserId;
    },
  });

  incidents.addHooks({
    onChanged(incident, now) {
      if (incident.room === 'new' || incident.room === 'private') {
        // Drawn at send time and skipped when unchanged: one topic call per step, whatever else happened.
        store.outbox.enqueue(
          {
            channelId: incident.channelId,
            kind: 'task',
            subject: roomSubject(incident.id),
            payload: { task: 'topic' },
          },
          now,
        );
      }
      const announce =
        config.statusChannel !== undefined && !incident.drill && (incident.room !== 'private' || config.statusPrivate);
      if (announce && config.statusChannel) {
        store.outbox.enqueue(
          { channelId: config.statusChannel, kind: 'card', subject: `STATUS-${incident.id}`, payload: {} },
          now,
        );
      }
    },
    onResolved(incident, now) {
      // Queued behind the resolve export in the room, so the room is archived only once the file is in it.
      if (config.archiveOnResolve && (incident.room === 'new' || incident.room === 'private')) {
        store.outbox.enqueue(
          {
            channelId: incident.channelId,
            kind: 'task',
            subject: roomSubject(incident.id),
            payload: { task: 'archive' },
            dedupeKey: `archive:${incidentRef(incident.id)}`,
          },
          now,
        );
      }
    },
  });

  const subcommands: SubcommandTable = {
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
          deps.incidents.recordRefusal({
            incidentId: incident.id,
            actor: cmd.actor,
            action: 'command:lead',
            code: 'lead_not_responder',
            reason: `${command.userId} is not in RESPONDERS`,
            idempotencyKey: cmd.commandKey,
          });
          return {
            text: `${mention(command.userId)} is not a responder, so cannot lead ${incidentRef(incident.id)}. Hand the lead to someone listed in RESPONDERS.`,
          };
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
        if (!label.ok) return { text: label.reason };
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

  return {
    feature: { subcommands },
    renderers: {
      ROOM: { task: (subject, payload) => tasks.run(subject, payload) },
      STATUS: {
        card(subject) {
          const incident = incidents.get(Number(subject.slice('STATUS-'.length)));
          const channelId = config.statusChannel;
          if (!incident || !channelId || incident.drill) return null;
          return {
            channelId,
            ...statusMessage(incident, incidents.now()),
            ts: rooms.statusMessageTs(incident.id),
            saveTs: (ts) => rooms.saveStatusMessage(incident.id, channelId, ts),
          };
        },
      },
    },
  };
};
