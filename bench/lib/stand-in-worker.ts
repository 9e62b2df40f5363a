import { parentPort, workerData } from 'node:worker_threads';
import { startSlackStandIn } from '../../test/support/slack-stand-in';
import { serveCalls } from './ts-worker';

// The local Slack stand-in in a thread of its own: its HTTP handling and its conformance checks (Ajv against
// Slack's schemas) then cost the bot's event loop nothing, as the real Slack would not.

const { strict } = workerData as { strict: boolean };
const standIn = await startSlackStandIn({ strict });

if (parentPort) {
  serveCalls(parentPort, {
    info: () => ({ url: standIn.url, origin: standIn.origin }),
    responseUrls: (n: number) => Array.from({ length: n }, () => standIn.newResponseUrl()),
    /** Calls by method since the last reset, and the violations found (the first few spelled out). */
    report: () => {
      const byMethod: Record<string, number> = {};
      for (const call of standIn.calls()) byMethod[call.method] = (byMethod[call.method] ?? 0) + 1;
      const violations = standIn.violations();
      return {
        calls: byMethod,
        responses: standIn.responses().length,
        violationCount: violations.length,
        violations: violations.slice(0, 5),
      };
    },
    reset: () => standIn.reset(),
    refuseConnections: () => standIn.refuseConnections(),
    acceptConnections: () => standIn.acceptConnections(),
    close: () => standIn.close(),
  });
}
