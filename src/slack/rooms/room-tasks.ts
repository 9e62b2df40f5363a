import type { WebClient } from '@slack/web-api';
import type { IncidentService } from '../../app/incident-service';
import type { Logger } from '../../app/logger';
import type { Store } from '../../app/store';
import type { RoomRepository } from '../../db/room-repository';
import { roomName } from '../../domain/rooms/room-name';
import { roomTopic } from '../../domain/rooms/room-topic';
import { BOT_ACTOR, type Incident, incidentRef, leadOf } from '../../domain/types';
import { escapeMrkdwn } from '../blocks/slack-time';
import type { TaskOutcome } from '../outbox-sender';
import { LASTING_REFUSALS, refusalSentence, type SlackRefusal, slackRefusal } from './slack-refusal';

export interface RoomTaskDeps {
  store: Store;
  rooms: RoomRepository;
  incidents: IncidentService;
  client: WebClient;
  logger: Logger;
  /** The bot's own user id (auth.test), never invited: Slack answers cant_invite_self. */
  botUserId(): Promise<string>;
  /** RESPONDERS: user ids and user-group ids. */
  responders: string[];
  securityGroup: string | undefined;
  now(): number;
}

// Enough suffixes for any real workspace; past them a name clash is something else and is reported.
const MAX_NAME_ATTEMPTS = 20;

/** Room tasks have a subject of their own, so the rooms feature draws them without wrapping the playbook's. */
export const roomSubject = (incidentId: number): string => `ROOM-${incidentId}`;

const skipped = (result: string): TaskOutcome => ({ result });

/** The one-line pointer where the incident was declared. A private room's names no key and no detail. */
export function pointerText(incident: Incident, channelId: string, isPrivate: boolean): string {
  if (isPrivate) return ':lock: A private incident room was opened; the responders were invited to it.';
  const drill = incident.drill ? 'DRILL · ' : '';
  return `:rotating_light: ${drill}${incidentRef(incident.id)} (compromised key \`${escapeMrkdwn(incident.keyLabel)}\`, ${incident.environment}, ${incident.severity}) is handled in <#${channelId}>.`;
}

/** The `users` of an invite task (null: everyone); Slack user ids only, as the payload is read back as input. */
function inviteList(users: unknown): string[] | null {
  if (!Array.isArray(users)) return null;
  return users.filter((id): id is string => typeof id === 'string' && /^[UW][A-Z0-9]+$/.test(id));
}

/** The Slack calls an incident's room needs, each run as an outbox task after the commit that asked for it. */
export class RoomTasks {
  constructor(private readonly deps: RoomTaskDeps) {}

  async run(subject: string, payload: Record<string, unknown>): Promise<TaskOutcome> {
    const incident = this.deps.incidents.get(Number(subject.slice('ROOM-'.length)));
    if (!incident) return skipped('skipped:no_incident');
    switch (payload.task) {
      case 'room':
        return this.createRoom(incident);
      case 'invite':
        return this.invite(incident, inviteList(payload.users));
      case 'topic':
        return this.setTopic(incident);
      case 'archive':
        return this.archive(incident);
      default:
        return skipped('skipped:unknown_task');
    }
  }

  private async createRoom(incident: Incident): Promise<TaskOutcome> {
    const { client, rooms, store } = this.deps;
    const existing = rooms.get(incident.id);
    if (existing) return skipped(existing.channelId);
    if (incident.room !== 'new' && incident.room !== 'private') return skipped('skipped:here');
    const isPrivate = incident.room === 'private';
    const origin = incident.channelId;
    for (let attempt = 1; attempt <= MAX_NAME_ATTEMPTS; attempt += 1) {
      const name = roomName(incident.id, incident.keyLabel, { drill: incident.drill === true, attempt });
      let channelId: string | undefined;
      try {
        const created = await client.conversations.create({ name, is_private: isPrivate });
        channelId = created.channel?.id;
      } catch (error) {
        const refusal = slackRefusal(error);
        // Taken by another channel, archived ones included: Slack never frees a name. Try the next suffix.
        if (refusal?.code === 'name_taken') continue;
        if (refusal && LASTING_REFUSALS.has(refusal.code)) return this.roomFailed(incident, refusal);
        throw error;
      }
      if (!channelId)
        throw Object.assign(new Error('conversations.create returned no channel'), { code: 'no_channel' });
      const room = channelId;
      return {
        result: room,
        record: () => {
          const now = this.deps.now();
          const stream = incidentRef(incident.id);
          rooms.insert({
            incidentId: incident.id,
            originChannelId: origin,
            channelId: room,
            name,
            isPrivate,
            createdAt: now,
          });
          store.incidents.moveToChannel(incident.id, room);
          store.events.append(
            {
              stream,
              at: now,
              actor: BOT_ACTOR,
              type: 'room_created',
              details: { channelId: room, name, private: isPrivate, declaredIn: origin },
            },
            `room:${stream}`,
          );
          store.outbox.enqueue(
            {
              channelId: origin,
              kind: 'post',
              // ROOM-n: the pointer's message metadata names no incident either.
              subject: roomSubject(incident.id),
              payload: { text: pointerText(incident, room, isPrivate) },
            },
            now,
          );
          store.outbox.enqueue(
            {
              channelId: room,
              kind: 'task',
              subject: roomSubject(incident.id),
              payload: { task: 'invite' },
              dedupeKey: `invite:${stream}`,
            },
            now,
          );
          store.outbox.enqueue(
            { channelId: room, kind: 'task', subject: roomSubject(incident.id), payload: { task: 'topic' } },
            now,
          );
        },
      };
    }
    return this.roomFailed(incident, { code: 'name_taken', needed: null });
  }

  /** The incident carries on where it was declared; the people there are told why, and what would fix it. */
  private roomFailed(incident: Incident, refusal: SlackRefusal): TaskOutcome {
    const { store } = this.deps;
    const ref = incidentRef(incident.id);
    const doing = incident.room === 'private' ? 'create a private channel' : 'create a channel';
    const text = `:warning: ${refusalSentence(refusal, doing)} ${ref} carries on in this channel.`;
    return {
      result: `failed:${refusal.code}`,
      record: () => {
        const now = this.deps.now();
        store.events.append(
          {
            stream: ref,
            at: now,
            actor: BOT_ACTOR,
            type: 'room_failed',
            details: { error: refusal.code, ...(refusal.needed ? { needed: refusal.needed } : {}) },
          },
          `room-failed:${ref}`,
        );
        store.outbox.enqueue({ channelId: incident.channelId, kind: 'post', subject: ref, payload: { text } }, now);
        // The card witnesses the stream's count and head: redrawn for the bot's own events too.
        store.outbox.enqueue({ channelId: incident.channelId, kind: 'card', subject: ref, payload: {} }, now);
      },
    };
  }

  /** The declarer, the lead, the responders (groups expanded) and SECURITY_GROUP; never the bot itself. */
  private async people(incident: Incident): Promise<string[]> {
    const { client, responders, securityGroup } = this.deps;
    const users = new Set<string>([incident.openedBy, leadOf(incident)]);
    const groups = [...responders.filter((id) => id.startsWith('S')), ...(securityGroup ? [securityGroup] : [])];
    for (const id of responders) if (!id.startsWith('S')) users.add(id);
    for (const group of groups) {
      const listed = await client.usergroups.users.list({ usergroup: group });
      for (const user of listed.users ?? []) users.add(user);
    }
    users.delete(await this.deps.botUserId());
    return [...users].filter((id) => /^[UW][A-Z0-9]+$/.test(id)).sort();
  }

  /** Everyone the room should hold, or only `only` (a new lead). */
  private async invite(incident: Incident, only: string[] | null): Promise<TaskOutcome> {
    const { client, rooms, store, logger } = this.deps;
    const room = rooms.get(incident.id);
    if (!room || room.archivedAt !== null) return skipped('skipped:no_room');
    let users: string[];
    try {
      users = only ?? (await this.people(incident));
    } catch (error) {
      const refusal = slackRefusal(error);
      if (refusal && LASTING_REFUSALS.has(refusal.code))
        return this.inviteFailed(incident, room.channelId, refusal, 'list the members of a user group');
      throw error;
    }
    if (users.length === 0) return skipped('skipped:nobody');
    const invited: string[] = [];
    try {
      await client.conversations.invite({ channel: room.channelId, users: users.join(',') });
      invited.push(...users);
    } catch (error) {
      const refusal = slackRefusal(error);
      if (refusal && LASTING_REFUSALS.has(refusal.code))
        return this.inviteFailed(incident, room.channelId, refusal, 'invite people to the room');
      if (!refusal) throw error;
      // One person Slack will not take (already there, deactivated, a guest) fails the whole call: go one by one.
      for (const user of users) {
        try {
          await client.conversations.invite({ channel: room.channelId, users: user });
          invited.push(user);
        } catch (single) {
          const code = slackRefusal(single)?.code;
          if (!code) throw single;
          if (code === 'already_in_channel') invited.push(user);
          else
            logger.warn(
              { incident: incidentRef(incident.id), user, error: code },
              'could not invite to the incident room',
            );
        }
      }
    }
    return {
      result: `invited:${invited.length}`,
      record: () => {
        const ref = incidentRef(incident.id);
        const key = only ? `room-invited:${ref}:${only.join(',')}` : `room-invited:${ref}`;
        if (store.events.findByIdempotencyKey(key)) return;
        const now = this.deps.now();
        store.events.append(
          { stream: ref, at: now, actor: BOT_ACTOR, type: 'room_invited', details: { users: invited } },
          key,
        );
        store.outbox.enqueue({ channelId: room.channelId, kind: 'card', subject: ref, payload: {} }, now);
      },
    };
  }

  private inviteFailed(incident: Incident, channelId: string, refusal: SlackRefusal, doing: string): TaskOutcome {
    const ref = incidentRef(incident.id);
    const text = `:warning: ${refusalSentence(refusal, doing)} Invite the responders to this room by hand for now.`;
    return {
      result: `failed:${refusal.code}`,
      record: () =>
        this.deps.store.outbox.enqueue({ channelId, kind: 'post', subject: ref, payload: { text } }, this.deps.now()),
    };
  }

  private async setTopic(incident: Incident): Promise<TaskOutcome> {
    const { client, rooms, logger } = this.deps;
    const room = rooms.get(incident.id);
    if (!room || room.archivedAt !== null) return skipped('skipped:no_room');
    const topic = roomTopic(incident);
    if (room.topic === topic) return skipped('skipped:unchanged');
    try {
      await client.conversations.setTopic({ channel: room.channelId, topic });
    } catch (error) {
      const refusal = slackRefusal(error);
      if (!refusal || !LASTING_REFUSALS.has(refusal.code)) throw error;
      // A topic is a convenience: a refusal is logged, not posted into the incident on every step.
      logger.warn(
        { incident: incidentRef(incident.id), error: refusal.code, needed: refusal.needed },
        'could not set the room topic',
      );
      return skipped(`failed:${refusal.code}`);
    }
    return { result: 'topic', record: () => rooms.setTopic(incident.id, topic) };
  }

  private async archive(incident: Incident): Promise<TaskOutcome> {
    const { client, rooms, store } = this.deps;
    const room = rooms.get(incident.id);
    if (!room || room.archivedAt !== null) return skipped('skipped:no_room');
    try {
      await client.conversations.archive({ channel: room.channelId });
    } catch (error) {
      const refusal = slackRefusal(error);
      if (refusal?.code !== 'already_archived') {
        if (refusal && LASTING_REFUSALS.has(refusal.code)) {
          const text = `:warning: ${refusalSentence(refusal, 'archive this room')} Archive it by hand when you are done.`;
          return {
            result: `failed:${refusal.code}`,
            record: () =>
              store.outbox.enqueue(
                { channelId: room.channelId, kind: 'post', subject: incidentRef(incident.id), payload: { text } },
                this.deps.now(),
              ),
          };
        }
        throw error;
      }
    }
    return {
      result: 'archived',
      record: () => {
        const now = this.deps.now();
        const ref = incidentRef(incident.id);
        rooms.markArchived(incident.id, now);
        store.events.append(
          { stream: ref, at: now, actor: BOT_ACTOR, type: 'room_archived', details: { channelId: room.channelId } },
          `room-archived:${ref}`,
        );
      },
    };
  }
}
