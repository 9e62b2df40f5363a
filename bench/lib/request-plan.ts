import type { Database } from 'better-sqlite3';
import type { IncidentService } from '../../src/app/incident-service';
import { ActionId } from '../../src/slack/ids';
import { blockActionBody, slashCommandBody } from '../../test/support/payloads';

// What a busy incident sends the bot: people opening incidents, clicking "I revoked the key" on their cards, and
// adding notes, in equal parts, across a handful of channels. Every request changes the record (one durable
// commit each, before its ack) and owes Slack a card refresh and a thread reply.

export const CHANNELS = Array.from({ length: 8 }, (_, i) => `C0BENCH${String(i + 1).padStart(3, '0')}`);
export const ACTORS = ['U0RESP0001', 'U0RESP0002'];

export type RequestKind = 'start' | 'revoke' | 'note';
export const MIX: RequestKind[] = ['start', 'revoke', 'note'];

interface PoolIncident {
  id: number;
  channelId: string;
  cardTs: string;
}

/**
 * Incidents whose cards are already in Slack, for clicks to land on: opened through the use-case in one
 * transaction, then their cards marked as posted (setup only; the bench measures what happens next).
 */
export class IncidentPool {
  private readonly fresh: PoolIncident[] = [];
  private readonly all: PoolIncident[] = [];
  private nextNote = 0;

  static seed(db: Database, incidents: IncidentService, size: number): IncidentPool {
    const pool = new IncidentPool();
    db.transaction(() => {
      for (let i = 0; i < size; i += 1) {
        const channelId = CHANNELS[i % CHANNELS.length]!;
        const outcome = incidents.open({
          channelId,
          actor: ACTORS[i % ACTORS.length]!,
          keyLabel: `bench-pool-${i}`,
          environment: 'staging',
          keyMode: 'unknown',
          exposureStart: null,
          revokedAt: null,
          how: 'seeded for the benchmark',
          idempotencyKey: `bench-pool-${i}`,
        });
        if (outcome.kind !== 'done') throw new Error(`seeding incident ${i}: ${outcome.kind}`);
        const cardTs = `1764000000.${String(i).padStart(6, '0')}`;
        db.prepare('UPDATE incidents SET card_ts = ? WHERE id = ?').run(cardTs, outcome.value.id);
        pool.fresh.push({ id: outcome.value.id, channelId, cardTs });
      }
      db.prepare("UPDATE outbox SET sent_at = created_at, result = 'bench-seed' WHERE sent_at IS NULL").run();
    })();
    pool.all.push(...pool.fresh);
    return pool;
  }

  /** An incident nobody has revoked yet: each revoke click is a real step, not a refusal. */
  takeUnrevoked(): PoolIncident {
    const incident = this.fresh.shift();
    if (!incident) throw new Error('the incident pool ran out; seed a larger one');
    return incident;
  }

  /** Any incident, round-robin: notes pile up on every card. */
  anyForNote(): PoolIncident {
    const incident = this.all[this.nextNote % this.all.length]!;
    this.nextNote += 1;
    return incident;
  }

  get unrevokedLeft(): number {
    return this.fresh.length;
  }
}

/** The events `count` requests of the mix must leave in the record, by event type. */
export function expectedEvents(count: number): Record<string, number> {
  const of = (offset: number) => Math.max(0, Math.ceil((count - offset) / MIX.length));
  return { incident_opened: of(0), key_revoked: of(1), note_added: of(2) };
}

/** Events of the types the mix produces, by type, as recorded now. */
export function countEvents(db: Database): Record<string, number> {
  const rows = db
    .prepare(
      "SELECT type, count(*) AS n FROM events WHERE type IN ('incident_opened', 'key_revoked', 'note_added') GROUP BY type",
    )
    .all() as { type: string; n: number }[];
  return Object.fromEntries(rows.map((row) => [row.type, row.n]));
}

/** Requests that change nothing (`/paykore-incident help`), to open the load generator's connections before a run. */
export function primerRequests(count: number, responseUrl: string): string[] {
  return Array.from({ length: count }, (_, i) =>
    slashCommandBody({ text: 'help', userId: ACTORS[i % ACTORS.length]!, channelId: CHANNELS[0]!, responseUrl }),
  );
}

let serial = 0;

/** `count` request bodies in the mix; `pool` null builds the same shapes for the baseline (it only acks). */
export function planRequests(count: number, responseUrls: string[], pool: IncidentPool | null): string[] {
  const bodies: string[] = [];
  for (let i = 0; i < count; i += 1) {
    serial += 1;
    const kind = MIX[i % MIX.length]!;
    const actor = ACTORS[i % ACTORS.length]!;
    const responseUrl = responseUrls[i % responseUrls.length]!;
    if (kind === 'start') {
      bodies.push(
        slashCommandBody({
          text: `start bench-key-${serial} env=staging how=benchmark`,
          userId: actor,
          channelId: CHANNELS[serial % CHANNELS.length]!,
          responseUrl,
        }),
      );
    } else if (kind === 'revoke') {
      const target = pool?.takeUnrevoked() ?? { id: 1, channelId: CHANNELS[0]!, cardTs: '1764000000.000001' };
      bodies.push(
        blockActionBody({
          actionId: ActionId.incidentRevoke,
          value: `INC-${target.id}`,
          userId: actor,
          channelId: target.channelId,
          responseUrl,
          messageTs: target.cardTs,
        }),
      );
    } else {
      const target = pool?.anyForNote() ?? { id: 1, channelId: CHANNELS[0]! };
      bodies.push(
        slashCommandBody({
          text: `note INC-${target.id} benchmark note ${serial}`,
          userId: actor,
          channelId: target.channelId,
          responseUrl,
        }),
      );
    }
  }
  return bodies;
}
