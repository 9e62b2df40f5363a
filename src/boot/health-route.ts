import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Clock } from '../app/clock';
import type { Logger } from '../app/logger';
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

/**
 * GET /healthz: `{"ok":true}` (200) while the database answers, `{"ok":false}` (503) when it does not. It is
 * unauthenticated, so it tells a caller nothing more; the detail (outbox depth, server time) goes to the log.
 */
export function healthRoute(
  store: Store,
  pendingSlackMessages: () => number,
  clock: Clock,
  logger?: Logger,
): HealthRoute {
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
      logger?.debug(
        { database, pendingSlackMessages: pendingSlackMessages(), time: clock().toISOString() },
        'health check',
      );
      res.writeHead(database === 'ok' ? 200 : 503, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ok: database === 'ok' }));
    },
  };
}
