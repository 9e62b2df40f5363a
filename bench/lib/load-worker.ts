import { parentPort } from 'node:worker_threads';
import { Agent, request } from 'undici';
import { slackSignature } from '../../test/support/signed-request';
import { serveCalls } from './ts-worker';

// Plays Slack: signs each request as Slack does and keeps `concurrency` of them in flight (a closed loop: each
// worker sends its next request when the previous one is answered). It runs in its own thread so its own work
// does not delay the app under test, and measures each request from just before sending to the end of the response.

export interface LoadRun {
  url: string;
  signingSecret: string;
  /** application/x-www-form-urlencoded bodies, sent in this order. */
  bodies: string[];
  concurrency: number;
  /**
   * Sent all at once before the measured bodies, their answers not measured: they open one kept-alive connection
   * per lane. Opening fifty connections at once costs some of them a few hundred milliseconds here, and the
   * servers close connections idle for five seconds (Node's default), as they are between runs.
   */
  primers?: string[];
  /**
   * Set for the rate-limit signal intake: JSON bodies with this bearer token, in place of Slack's form bodies and
   * signature; 202 is then the answer that counts as handled.
   */
  bearer?: string;
}

export interface LoadResult {
  latenciesMs: number[];
  statuses: Record<string, number>;
  /** A few answers that were not 200, to say why. */
  failures: string[];
  wallMs: number;
}

let stopRequested = false;

function send(agent: Agent, plan: LoadRun, body: string) {
  if (plan.bearer) {
    return request(plan.url, {
      method: 'POST',
      dispatcher: agent,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${plan.bearer}` },
      body,
    });
  }
  const timestamp = Math.floor(Date.now() / 1000);
  return request(plan.url, {
    method: 'POST',
    dispatcher: agent,
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': slackSignature(plan.signingSecret, timestamp, body),
    },
    body,
  });
}

async function run(plan: LoadRun): Promise<LoadResult> {
  stopRequested = false;
  // One kept-alive connection per lane and no more: a lane never waits for a new connection to be opened.
  const agent = new Agent({ connections: plan.concurrency, keepAliveTimeout: 60_000, keepAliveMaxTimeout: 120_000 });
  try {
    await Promise.all(
      (plan.primers ?? []).map(async (body) => {
        const response = await send(agent, plan, body);
        await response.body.text();
      }),
    );
    return await measure(agent, plan);
  } finally {
    await agent.close();
  }
}

async function measure(agent: Agent, plan: LoadRun): Promise<LoadResult> {
  const latenciesMs: number[] = [];
  const ok = plan.bearer ? 202 : 200;
  const statuses: Record<string, number> = {};
  const failures: string[] = [];
  let next = 0;
  const started = performance.now();
  const lane = async () => {
    for (;;) {
      const index = next;
      next += 1;
      if (index >= plan.bodies.length || stopRequested) return;
      const body = plan.bodies[index]!;
      const sent = performance.now();
      let status: string;
      try {
        const response = await send(agent, plan, body);
        const text = await response.body.text();
        status = String(response.statusCode);
        if (response.statusCode !== ok && failures.length < 5) failures.push(`${status}: ${text.slice(0, 200)}`);
      } catch (error) {
        status = 'error';
        if (failures.length < 5) failures.push(error instanceof Error ? error.message : String(error));
      }
      latenciesMs.push(performance.now() - sent);
      statuses[status] = (statuses[status] ?? 0) + 1;
    }
  };
  await Promise.all(Array.from({ length: plan.concurrency }, lane));
  return { latenciesMs, statuses, failures, wallMs: performance.now() - started };
}

if (parentPort) {
  serveCalls(parentPort, {
    run,
    // Ends a run early (its lanes finish the request in hand): a background load stops when the measured one does.
    stop: () => {
      stopRequested = true;
    },
    close: () => undefined,
  });
}
