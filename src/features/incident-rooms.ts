import { RoomRepository } from '../db/room-repository';
import { incidentRef } from '../domain/types';
import { statusMessage } from '../slack/blocks/status-message';
import { roomSubcommands } from '../slack/listeners/commands/room-subcommands';
import { RoomTasks, roomSubject } from '../slack/rooms/room-tasks';
import type { FeatureFactory } from './feature';

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
    onLeadChanged(incident, lead, now) {
      // The new lead may not be in the room (RESPONDERS empty, or a group that changed since it was made).
      if (incident.room === 'new' || incident.room === 'private') {
        store.outbox.enqueue(
          {
            channelId: incident.channelId,
            kind: 'task',
            subject: roomSubject(incident.id),
            payload: { task: 'invite', users: [lead] },
          },
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

  return {
    feature: { subcommands: roomSubcommands },
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
