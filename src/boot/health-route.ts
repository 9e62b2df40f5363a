import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Clock } from '../app/clock';
import type { Store } from '../app/store';

/**
 * The one HTTP route besides Slack's: the shape Bolt's `customRoutes` accepts, declared here from Bolt's public
 * documentation so nothing depends on where Bolt keeps its own type inside `dist/`.
 */
export interface HealthRoute {
  path: string;
  method: string | string[];
  handler: (req: IncomingMessage, res: ServerResponse) => void;
}

/** GET /healthz: 200 while the database answers, 503 when it does not; how many Slack messages are owed. */
export function healthRoute(store: Store, pendingSlackMessages: () => number, clock: Clock): HealthRoute {
  return {
    path: '/healthz',
    method: ['GET'],
    handler: (_req, res) => {
      let database = 'ok';
      try {
        store.db.prepare('SELECT 1').get();
      } catch {
        database = 'unavailable';
      }
      const body = JSON.stringify({
        status: database === 'ok' ? 'ok' : 'degraded',
        database,
        pendingSlackMessages: pendingSlackMessages(),
        time: clock().toISOString(),
      });
      res.writeHead(database === 'ok' ? 200 : 503, { 'content-type': 'application/json' });
      res.end(body);
    },
  };
}
