import { expect } from 'vitest';
import { verifyChain } from '../../../src/domain/event-chain';
import { ActionId, CallbackId, Field } from '../../../src/slack/ids';
import { BotHarness, CHANNEL, RESPONDER, SECOND_RESPONDER, select, T0, text } from '../../support/bot-harness';
import { MINUTE } from '../../support/test-clock';

/**
 * The end-to-end incident, written once and played over whichever transport the harness uses: declared by
 * command, the four steps in PayKore's order by two responders, resolved, and read back after a restart.
 * The connection to Slack is lost twice mid-incident (a `refresh_requested` disconnect, then a dropped socket);
 * in Socket Mode the bot must reconnect through a new apps.connections.open and carry on.
 */
export async function playCompromiseIncident(h: BotHarness): Promise<void> {
  const exposed = '2026-11-28T08:15:00Z';
  const started = await h.command(
    `start api-server-production-v2 env=production exposed=${exposed} how=committed to a public repo`,
  );
  expect(started.status).toBe(200);
  expect(BotHarness.replyText(started)).toContain('Opened INC-1');

  const posted = h.standIn.calls('chat.postMessage');
  expect(posted).toHaveLength(1);
  expect(posted[0]?.args.channel).toBe(CHANNEL);
  expect(String(posted[0]?.args.text)).toContain('INC-1');

  h.clock.advance(2 * MINUTE);
  const revoke = await h.click(ActionId.incidentRevoke, 'INC-1');
  expect(revoke.status).toBe(200);

  // Slack recycles the connection while the incident is under way.
  await h.interrupt('refresh_requested');
  expectConnections(h, 2);

  h.clock.advance(3 * MINUTE);
  await h.click(ActionId.incidentReview, 'INC-1');
  const review = h.lastOpenedView();
  expect(review.callback_id).toBe(CallbackId.incidentReview);
  expect(JSON.stringify(review.blocks)).toContain('Exposure window');
  h.clock.advance(MINUTE);
  const reviewed = await h.submit(CallbackId.incidentReview, review.private_metadata, {
    [Field.reviewOutcome]: { [Field.reviewOutcome]: select('suspicious_found') },
    [Field.transactionIds]: { [Field.transactionIds]: text('txn_1001, txn_1002') },
    [Field.notes]: { [Field.notes]: text('two refunds we did not issue') },
  });
  expect(reviewed.status).toBe(200);

  h.clock.advance(MINUTE);
  await h.click(ActionId.incidentSupport, 'INC-1', { userId: SECOND_RESPONDER });
  const support = h.lastOpenedView();
  expect(JSON.stringify(support.blocks)).toContain('2026-11-28 08:15 UTC');
  h.clock.advance(MINUTE);
  await h.submit(
    CallbackId.incidentSupport,
    support.private_metadata,
    {
      [Field.contactChannel]: { [Field.contactChannel]: select('email') },
      [Field.ticketRef]: { [Field.ticketRef]: text('PK-4242') },
    },
    { userId: SECOND_RESPONDER },
  );

  // And later the network drops it without a word.
  await h.interrupt('dropped');
  expectConnections(h, 3);

  h.clock.advance(10 * MINUTE);
  await h.click(ActionId.incidentRedeploy, 'INC-1');
  const redeploy = h.lastOpenedView();
  expect(JSON.stringify(redeploy.blocks)).toContain('api-server-production-v3');
  await h.submit(CallbackId.incidentRedeploy, redeploy.private_metadata, {
    [Field.newKeyLabel]: { [Field.newKeyLabel]: text('api-server-production-v3') },
    [Field.deploymentRef]: { [Field.deploymentRef]: text('deploy #4812') },
  });

  h.clock.advance(5 * MINUTE);
  await h.click(ActionId.incidentResolve, 'INC-1');
  const resolve = h.lastOpenedView();
  const resolved = await h.submit(CallbackId.incidentResolve, resolve.private_metadata, {
    [Field.resolution]: { [Field.resolution]: select('revoked') },
    [Field.summary]: { [Field.summary]: text('Key revoked within two minutes; two refunds disputed.') },
  });
  expect(resolved.status).toBe(200);

  const events = h.bot.incidents.timeline(1);
  expect(events.map((e) => [e.type, e.actor, e.at - T0])).toEqual([
    ['incident_opened', RESPONDER, 0],
    ['key_revoked', RESPONDER, 2 * MINUTE],
    ['transactions_reviewed', RESPONDER, 6 * MINUTE],
    ['support_contacted', SECOND_RESPONDER, 8 * MINUTE],
    ['key_redeployed', RESPONDER, 18 * MINUTE],
    ['incident_resolved', RESPONDER, 23 * MINUTE],
  ]);
  expect(events[2]?.details).toMatchObject({ outcome: 'suspicious_found', transactionIds: ['txn_1001', 'txn_1002'] });
  expect(events[3]?.details).toMatchObject({ contactChannel: 'email', ticketRef: 'PK-4242' });
  expect(verifyChain('INC-1', events).ok).toBe(true);

  const incident = h.bot.incidents.get(1);
  expect(incident?.status).toBe('resolved');
  expect(incident?.exposureStart).toBe(Date.parse(exposed));

  // The card was posted once and brought up to date after every change; each action got a thread reply.
  expect(h.standIn.calls('chat.update').length).toBeGreaterThanOrEqual(5);
  const lastCard = h.standIn.calls('chat.update').at(-1);
  expect(String(lastCard?.args.text)).toContain('resolved');
  const threadReplies = h.standIn.calls('chat.postMessage').filter((c) => c.args.thread_ts);
  expect(threadReplies).toHaveLength(5);
  expect(new Set(threadReplies.map((c) => c.args.thread_ts))).toEqual(new Set([h.cardTs(CHANNEL)]));

  await h.restart();
  const status = await h.command('status INC-1');
  expect(BotHarness.replyText(status)).toContain('Resolved as `revoked`');
  expect(h.bot.incidents.timeline(1)).toHaveLength(6);
}

/** In Socket Mode: exactly `count` connections so far, each opened through its own apps.connections.open. */
function expectConnections(h: BotHarness, count: number): void {
  if (!h.socket) return;
  expect(h.socket.connectionCount()).toBe(count);
  expect(h.socket.openCount()).toBe(1);
  expect(h.standIn.calls('apps.connections.open')).toHaveLength(count);
}
