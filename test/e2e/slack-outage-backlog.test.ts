import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BotHarness, CHANNEL, OTHER_CHANNEL, T0 } from '../support/bot-harness';
import { MINUTE } from '../support/test-clock';

// Issue 17: Slack unreachable (the stand-in refuses connections) while incidents stay open and nobody revokes.
// What the bot owes must stay bounded (one card refresh and one nudge per incident, whatever the outage's length),
// its attempts must not multiply by channel, and when Slack is back everything arrives, in order, once.

type Row = { subject: string; kind: string; n: number };

const pendingBySubject = (h: BotHarness) =>
  h.rows(
    `SELECT subject, kind, count(*) AS n FROM outbox WHERE sent_at IS NULL GROUP BY subject, kind ORDER BY subject, kind`,
  ) as Row[];

const threadReplies = (h: BotHarness, threadTs: string | null | undefined) =>
  h.standIn
    .calls('chat.postMessage')
    .filter((call) => threadTs && call.args.thread_ts === threadTs)
    .map((call) => String(call.args.text));

describe('a long Slack outage with open incidents nobody acts on', () => {
  let h: BotHarness;
  beforeEach(async () => {
    h = await BotHarness.start({ env: { REVOKE_NUDGE_MINUTES: '5' } });
    await h.command('start api-server-production-v2 env=production', { channelId: CHANNEL });
    await h.command('start billing-staging env=staging', { channelId: OTHER_CHANNEL });
    await h.command('start ledger-production env=production', { channelId: CHANNEL });
  });
  afterEach(async () => {
    expect(h.standIn.violations()).toEqual([]);
    await h.close();
  });

  it('keeps one card refresh and one nudge owed per incident, nudges on the backed-off schedule, and catches up in order', async () => {
    const cardsBefore = [1, 2, 3].map((id) => h.bot.incidents.get(id)?.cardTs);
    expect(cardsBefore.every(Boolean)).toBe(true);
    await h.standIn.refuseConnections();
    const callsBefore = h.standIn.calls().at(-1)?.seq ?? 0;

    // Two hours without Slack, the scheduler ticking every minute as in production; a note in the middle.
    for (let minute = 1; minute <= 120; minute += 1) {
      h.clock.advance(MINUTE);
      await h.tick();
      if (minute === 42)
        await h.command('note INC-1 rotated the staging copy, production next', { channelId: CHANNEL });
      for (const row of pendingBySubject(h)) {
        if (row.kind === 'card') expect(row.n, `${row.subject} cards at minute ${minute}`).toBeLessThanOrEqual(1);
      }
      const nudgesOwed = h.rows(
        `SELECT subject, count(*) AS n FROM outbox WHERE sent_at IS NULL AND json_extract(payload, '$.replaces') = 'revoke_nudge' GROUP BY subject`,
      ) as { subject: string; n: number }[];
      for (const row of nudgesOwed) expect(row.n, `${row.subject} nudges at minute ${minute}`).toBe(1);
    }
    expect(h.standIn.calls().filter((call) => call.seq > callsBefore)).toEqual([]);
    // Every incident owes exactly one card refresh and one nudge; INC-1 also its note.
    expect(pendingBySubject(h)).toEqual([
      { subject: 'INC-1', kind: 'card', n: 1 },
      { subject: 'INC-1', kind: 'thread', n: 2 },
      { subject: 'INC-2', kind: 'card', n: 1 },
      { subject: 'INC-2', kind: 'thread', n: 1 },
      { subject: 'INC-3', kind: 'card', n: 1 },
      { subject: 'INC-3', kind: 'thread', n: 1 },
    ]);
    // The sender found Slack unreachable as a whole: its tries back off together, not once per channel per tick.
    const tries = h.logLines.filter((line) => line.includes('Slack unreachable')).length;
    expect(tries).toBeGreaterThan(3);
    expect(tries).toBeLessThan(40);

    // Each nudge is in the record, on the schedule: 5, 10, 15, 30, 60 and 120 minutes after opening.
    const nudgeMinutes = (
      h.rows("SELECT at FROM events WHERE stream = 'INC-2' AND type = 'revoke_nudge' ORDER BY seq") as {
        at: number;
      }[]
    ).map((row) => (row.at - T0) / MINUTE);
    expect(nudgeMinutes).toEqual([5, 10, 15, 30, 60, 120]);

    await h.standIn.acceptConnections();
    h.clock.advance(5 * MINUTE);
    await h.settle();
    expect(h.bot.sender.pendingCount()).toBe(0);
    // No new card was posted: each card was updated in place, once, in its current state.
    const updates = h.standIn.calls('chat.update');
    for (const [index, ts] of cardsBefore.entries()) {
      const mine = updates.filter((call) => call.args.ts === ts);
      expect(mine, `INC-${index + 1}`).toHaveLength(1);
      expect(String(JSON.stringify(mine[0]?.args.blocks))).toContain('still active');
    }
    const newPosts = h.standIn
      .calls('chat.postMessage')
      .filter((call) => call.seq > callsBefore && !call.args.thread_ts);
    expect(newPosts).toHaveLength(0);
    // In each thread, what was owed in the order it happened: INC-1's note, then only the latest nudge.
    expect(threadReplies(h, cardsBefore[0])).toEqual([
      expect.stringContaining('rotated the staging copy'),
      expect.stringContaining('120 minutes'),
    ]);
    expect(threadReplies(h, cardsBefore[1])).toEqual([expect.stringContaining('120 minutes')]);
    expect(threadReplies(h, cardsBefore[2])).toEqual([expect.stringContaining('120 minutes')]);
    expect(h.rows("SELECT id FROM outbox WHERE result = 'superseded'").length).toBeGreaterThan(0);
  });
});
