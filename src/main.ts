import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { App, HTTPReceiver } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { Database } from 'better-sqlite3';
import { Authorizer } from './app/authorizer';
import { ChannelMembership } from './app/channel-membership';
import { type Clock, systemClock } from './app/clock';
import { GroupCommit } from './app/group-commit';
import { IncidentService } from './app/incident-service';
import type { Logger } from './app/logger';
import { RefusalRecorder } from './app/refusal-recorder';
import type { Store } from './app/store';
import { type HealthRoute, healthRoute } from './boot/health-route';
import { closeServer, listenForHealth } from './boot/health-server';
import { openStore } from './boot/open-store';
import { slackApp } from './boot/slack-app';
import { slackClients } from './boot/slack-clients';
import { type SocketModeTimings, slackReceiver } from './boot/slack-receiver';
import type { Config } from './config';
import { FEATURES } from './features/all-features';
import type { FeatureContext, FeatureModule } from './features/feature';
import { createLogger } from './log/create-logger';
import { Scheduler } from './scheduler/scheduler';
import { InFlight } from './slack/in-flight';
import { registerListeners } from './slack/listeners/register-listeners';
import type { ListenerDeps, ListenerRegistry } from './slack/listeners/registry';
import { OutboxSender } from './slack/outbox-sender';

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
  socketMode?: SocketModeTimings;
}

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

/**
 * The composition root, one named step a line: store → Slack clients → shared services → features → outbox
 * sender → receiver and Bolt app → listeners → scheduler. Only this file knows every adapter.
 */
export async function createBot(options: BotOptions): Promise<Bot> {
  const { config } = options;
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? createLogger(config.logLevel);
  const store = openStore(config.databasePath, logger, { recordKey: config.recordKey, now: clock().getTime() });
  const slack = slackClients(config, logger, options.slackTimeoutMs);
  const auth = await slack.client.auth.test();
  // One group commit for the acks and the outbox sender's bookkeeping: under load they share each fsync.
  const groupCommit = new GroupCommit(store.db);
  const write = <T>(work: () => T) => groupCommit.run(work);
  const incidents = new IncidentService({
    store,
    clock,
    revokeNudgeMinutes: config.revokeNudgeMinutes,
    defaultRoom: config.incidentChannel,
  });
  // Features are built before the sender (it needs their renderers), so notify finds the sender late.
  let sender: OutboxSender | null = null;
  const notify = () => sender?.kick();
  const context: FeatureContext = { config, store, clock, logger, incidents, client: slack.client, notify, write };
  const modules = FEATURES.map((factory) => factory(context));
  const outbox = outboxSender(context, modules, write);
  sender = outbox;
  const authorizer = responderAuthorizer(config, clock, slack.client, logger);
  const health = healthRoute(store, () => outbox.pendingCount(), clock, logger);
  const routes = [health, ...modules.flatMap((m) => m.routes ?? [])];
  const { receiver, http, stopping } = slackReceiver(config, logger, routes, options.socketMode);
  const inFlight = new InFlight();
  const app = slackApp({ config, logger, receiver, clientOptions: slack.options, auth, inFlight });
  const deps: ListenerDeps = {
    incidents,
    refusals: new RefusalRecorder(store, clock),
    authorizer,
    membership: channelMembership(clock, slack.client, logger),
    logger,
    notify,
    viewsClient: slack.viewsClient,
    write,
  };
  const registry = registerListeners(
    app,
    deps,
    modules.flatMap((m) => (m.feature ? [m.feature] : [])),
  );
  const scheduler = new Scheduler(
    modules.flatMap((m) => m.tasks ?? []),
    notify,
    logger,
  );
  const parts = { app, store, incidents, sender: outbox, scheduler, registry, groupCommit, logger };
  const background = async () => {
    await Promise.all(modules.map((m) => m.settle?.()));
  };
  const closeFeatures = async () => {
    for (const m of modules) await m.close?.();
  };
  return lifecycle(options, parts, { http, routes, inFlight, authorizer, background, closeFeatures, stopping });
}

function outboxSender(
  ctx: FeatureContext,
  modules: FeatureModule[],
  write: <T>(work: () => T) => Promise<T>,
): OutboxSender {
  return new OutboxSender({
    store: ctx.store,
    client: ctx.client,
    clock: ctx.clock,
    logger: ctx.logger,
    owner: `${process.pid}-${randomUUID().slice(0, 8)}`,
    write,
    renderers: Object.assign({}, ...modules.map((m) => m.renderers ?? {})),
  });
}

function responderAuthorizer(config: Config, clock: Clock, client: WebClient, logger: Logger): Authorizer {
  return new Authorizer({
    responders: config.responders,
    clock,
    logger,
    groups: {
      list: async (groupId) => (await client.usergroups.users.list({ usergroup: groupId })).users ?? [],
    },
  });
}

function channelMembership(clock: Clock, client: WebClient, logger: Logger): ChannelMembership {
  return new ChannelMembership({
    clock,
    logger,
    page: async (channel, cursor) => {
      const answer = await client.conversations.members({ channel, limit: 200, ...(cursor ? { cursor } : {}) });
      return { members: answer.members ?? [], nextCursor: answer.response_metadata?.next_cursor ?? '' };
    },
  });
}

type BotParts = Omit<Bot, 'db' | 'settle' | 'port' | 'start' | 'stop'>;

/** start, stop and settle over the parts createBot built. */
function lifecycle(
  options: BotOptions,
  parts: BotParts,
  edge: {
    http: HTTPReceiver | null;
    routes: HealthRoute[];
    inFlight: InFlight;
    authorizer: Authorizer;
    /** Work features started outside a request (a scheduled Git scan). */
    background: () => Promise<void>;
    closeFeatures(): Promise<void>;
    stopping(): void;
  },
): Bot {
  const { config } = options;
  const { app, sender, scheduler, logger } = parts;
  const { http, routes, inFlight, authorizer, background, stopping } = edge;
  let server: Server | null = null;
  return {
    ...parts,
    db: parts.store.db,
    async settle() {
      await inFlight.idle();
      await background();
      await sender.drain();
      await inFlight.idle();
    },
    port: () => (server?.address() as AddressInfo | null)?.port ?? config.port,
    async start() {
      if (http) {
        const listen = options.listen ?? { port: config.port };
        server = (await http.start({ port: listen.port, host: listen.host })) as Server;
      } else {
        const healthServer = await listenForHealth(routes, options.listen ?? { port: config.port });
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
      sender.kick(); // messages owed from before a restart
      logger.info(
        {
          mode: config.slackMode,
          port: server ? (server.address() as AddressInfo).port : config.port,
          pendingSlackMessages: sender.pendingCount(),
        },
        'PayKore incident bot ready',
      );
    },
    async stop() {
      scheduler.stop();
      stopping();
      await app.stop().catch((error: unknown) => logger.warn({ error }, 'stopping the Slack receiver failed'));
      if (config.slackMode === 'socket' && server) await closeServer(server);
      await inFlight.idle();
      await background();
      await sender.stop();
      await edge.closeFeatures();
      parts.store.db.close();
    },
  };
}
