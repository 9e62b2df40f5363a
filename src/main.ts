import { randomBytes, randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Receiver } from '@slack/bolt';
import type { CustomRoute } from '@slack/bolt/dist/receivers/custom-routes';
import { WebClient } from '@slack/web-api';
import type { Database } from 'better-sqlite3';
import { Authorizer } from './app/authorizer';
import { type Clock, systemClock } from './app/clock';
import { ExportService } from './app/export-service';
import { GroupCommit } from './app/group-commit';
import { IncidentService } from './app/incident-service';
import type { Logger } from './app/logger';
import { RefusalRecorder } from './app/refusal-recorder';
import { createStore, type Store } from './app/store';
import type { Config } from './config';
import { integrityCheck, openDatabase } from './db/open-database';
import { appHome } from './features/app-home';
import { keyRegisterFeature } from './features/key-register';
import { leakDetection } from './features/leak-detection';
import { timelineExport } from './features/timeline-export';
import { closeServer, listenForHealth } from './health-server';
import { boltLogger } from './log/bolt-logger';
import { createLogger } from './log/create-logger';
import { requestLog } from './log/request-log';
import { type ScheduledTask, Scheduler } from './scheduler/scheduler';
import { App, HTTPReceiver, SocketModeReceiver } from './slack/bolt-parts';
import { InFlight } from './slack/in-flight';
import { incidentRenderer } from './slack/incident-renderer';
import { type Feature, incidentFeature, registerListeners } from './slack/listeners/register-listeners';
import type { ListenerDeps, ListenerRegistry } from './slack/listeners/registry';
import { OutboxSender, type SubjectRenderer } from './slack/outbox-sender';
import { settleStartsOnStop } from './slack/socket-mode-stop';

export interface BotOptions {
  config: Config;
  clock?: Clock;
  logger?: Logger;
  /** Where the HTTP server listens; tests use port 0 on 127.0.0.1. */
  listen?: { port: number; host?: string };
  /** Milliseconds between scheduler ticks; null leaves ticking to the caller (tests drive time). */
  tickIntervalMs?: number | null;
  /** Web API client options for tests (timeouts). */
  slackTimeoutMs?: number;
  /**
   * Socket Mode heartbeat: the client waits `clientPingTimeoutMs` for a pong and the same again before each
   * reconnection (default 5000, @slack/socket-mode's); tests shorten it so a forced reconnection is quick.
   */
  socketMode?: { clientPingTimeoutMs?: number; serverPingTimeoutMs?: number };
}

/** What a feature module needs to plug itself in (key register, exports, leak detection). */
export interface FeatureContext {
  config: Config;
  store: Store;
  clock: Clock;
  logger: Logger;
  incidents: IncidentService;
  client: WebClient;
  notify(): void;
}

export interface FeatureModule {
  feature?: Feature;
  renderers?: Record<string, SubjectRenderer>;
  tasks?: ScheduledTask[];
}

export type FeatureFactory = (ctx: FeatureContext) => FeatureModule;

/** Feature modules beyond the incident playbook; each is one line here. */
export const FEATURES: FeatureFactory[] = [leakDetection({ randomBytes }), timelineExport, keyRegisterFeature, appHome];

export interface Bot {
  app: App;
  db: Database;
  store: Store;
  incidents: IncidentService;
  sender: OutboxSender;
  scheduler: Scheduler;
  registry: ListenerRegistry;
  groupCommit: GroupCommit;
  logger: Logger;
  /** Resolves when no listener is still working and every message due now has been sent. */
  settle(): Promise<void>;
  /** The HTTP port actually bound (http mode, or the health server in socket mode). */
  port(): number;
  start(): Promise<void>;
  stop(): Promise<void>;
}

function healthRoute(store: Store, sender: () => OutboxSender, clock: Clock): CustomRoute {
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
        pendingSlackMessages: sender().pendingCount(),
        time: clock().toISOString(),
      });
      res.writeHead(database === 'ok' ? 200 : 503, { 'content-type': 'application/json' });
      res.end(body);
    },
  };
}

/** The composition root: config → database → services → Slack app → scheduler. Only this file knows every adapter. */
export async function createBot(options: BotOptions): Promise<Bot> {
  const { config } = options;
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? createLogger(config.logLevel);
  const db = openDatabase(config.databasePath);
  const integrity = integrityCheck(db);
  if (integrity !== 'ok')
    logger.error({ integrity }, 'PRAGMA integrity_check reported problems: restore from a backup');
  const store = createStore(db);

  const clientOptions = {
    slackApiUrl: config.slackApiUrl,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: options.slackTimeoutMs ?? 10_000,
    logger: boltLogger(logger),
  };
  // Messages go through the outbox, which retries on its own schedule; views.open gets a client of its own so
  // a throttled channel never delays a modal past its 3-second trigger_id.
  const client = new WebClient(config.slackBotToken, clientOptions);
  const viewsClient = new WebClient(config.slackBotToken, clientOptions);
  const auth = await client.auth.test();

  const incidents = new IncidentService({ store, clock, revokeNudgeMinutes: config.revokeNudgeMinutes });
  let sender: OutboxSender | null = null;
  const notify = () => sender?.kick();
  // One group commit for the acks and the outbox sender's bookkeeping: under load they share each fsync.
  const groupCommit = new GroupCommit(db);
  const modules = FEATURES.map((factory) => factory({ config, store, clock, logger, incidents, client, notify }));
  sender = new OutboxSender({
    store,
    client,
    clock,
    logger,
    owner: `${process.pid}-${randomUUID().slice(0, 8)}`,
    write: (work) => groupCommit.run(work),
    renderers: Object.assign(
      {
        INC: incidentRenderer(
          store,
          incidents,
          new ExportService({ store, clock, displayTimeZone: config.displayTimeZone }),
        ),
      },
      ...modules.map((m) => m.renderers ?? {}),
    ),
  });
  const theSender = sender;
  const authorizer = new Authorizer({
    responders: config.responders,
    clock,
    groups: {
      list: async (groupId) => (await client.usergroups.users.list({ usergroup: groupId })).users ?? [],
    },
  });

  const health = healthRoute(store, () => theSender, clock);
  let receiver: Receiver;
  let httpReceiver: HTTPReceiver | null = null;
  let socketStop: { stopping(): void } | null = null;
  if (config.slackMode === 'http') {
    httpReceiver = new HTTPReceiver({
      signingSecret: config.slackSigningSecret ?? '',
      endpoints: '/slack/events',
      customRoutes: [health],
      logger: boltLogger(logger),
      processBeforeResponse: false,
    });
    receiver = httpReceiver;
  } else {
    const socketReceiver = new SocketModeReceiver({
      appToken: config.slackAppToken ?? '',
      // apps.connections.open goes to SLACK_API_URL like every other call; /healthz gets its own server in start().
      installerOptions: { clientOptions: { slackApiUrl: config.slackApiUrl } },
      clientPingTimeout: options.socketMode?.clientPingTimeoutMs,
      serverPingTimeout: options.socketMode?.serverPingTimeoutMs,
      logger: boltLogger(logger),
    });
    socketStop = settleStartsOnStop(socketReceiver.client);
    receiver = socketReceiver;
  }
  const app = new App({
    token: config.slackBotToken,
    botId: auth.bot_id,
    botUserId: auth.user_id,
    receiver,
    logger: boltLogger(logger),
    clientOptions,
  });
  const inFlight = new InFlight();
  app.use(requestLog(logger));
  app.use(async ({ next }) => inFlight.track(next));
  app.error(async (error) => {
    logger.error({ error }, 'listener failed');
  });

  const deps: ListenerDeps = {
    incidents,
    refusals: new RefusalRecorder(store, clock),
    authorizer,
    logger,
    notify,
    viewsClient,
    write: (work) => groupCommit.run(work),
  };
  const registry = registerListeners(app, deps, [
    incidentFeature,
    ...modules.flatMap((m) => (m.feature ? [m.feature] : [])),
  ]);
  const scheduler = new Scheduler(
    [{ name: 'incident-nudges', run: () => incidents.runNudges() }, ...modules.flatMap((m) => m.tasks ?? [])],
    notify,
    logger,
  );

  let server: Server | null = null;
  return {
    app,
    db,
    store,
    incidents,
    sender: theSender,
    scheduler,
    registry,
    groupCommit,
    logger,
    async settle() {
      await inFlight.idle();
      await theSender.drain();
      await inFlight.idle();
    },
    port: () => (server?.address() as AddressInfo | null)?.port ?? config.port,
    async start() {
      if (httpReceiver) {
        const listen = options.listen ?? { port: config.port };
        server = (await httpReceiver.start({ port: listen.port, host: listen.host })) as Server;
      } else {
        const healthServer = await listenForHealth(health, options.listen ?? { port: config.port });
        server = healthServer;
        await app.start().catch(async (error: unknown) => {
          server = null;
          await closeServer(healthServer);
          throw error;
        });
      }
      if (authorizer.open)
        logger.warn({}, 'RESPONDERS is empty: anyone in the workspace may complete steps, resolve and export');
      const interval = options.tickIntervalMs === undefined ? 60_000 : options.tickIntervalMs;
      if (interval !== null) scheduler.start(interval);
      theSender.kick(); // messages owed from before a restart
      logger.info(
        {
          mode: config.slackMode,
          port: server ? (server.address() as AddressInfo).port : config.port,
          pendingSlackMessages: theSender.pendingCount(),
        },
        'PayKore incident bot ready',
      );
    },
    async stop() {
      scheduler.stop();
      socketStop?.stopping();
      await app.stop().catch((error: unknown) => logger.warn({ error }, 'stopping the Slack receiver failed'));
      if (config.slackMode === 'socket' && server) await closeServer(server);
      await inFlight.idle();
      await theSender.stop();
      db.close();
    },
  };
}
