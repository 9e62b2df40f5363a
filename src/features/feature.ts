import type { App } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { Clock } from '../app/clock';
import type { IncidentService } from '../app/incident-service';
import type { Logger } from '../app/logger';
import type { Store } from '../app/store';
import type { HealthRoute } from '../boot/health-route';
import type { Config } from '../config';
import type { ScheduledTask } from '../scheduler/scheduler';
import type { SubcommandTable } from '../slack/listeners/commands/command-context';
import type { CommandScreen } from '../slack/listeners/commands/paykore-incident';
import type { ActionSpec, ListenerDeps, ViewSpec } from '../slack/listeners/registry';
import type { SubjectRenderer } from '../slack/outbox-sender';

/** A feature's Slack listeners: buttons, forms, subcommands, command screens, and raw `register` for events. */
export interface Feature {
  actions?: ActionSpec[];
  views?: ViewSpec[];
  subcommands?: SubcommandTable;
  screens?: CommandScreen[];
  register?(app: App, deps: ListenerDeps): void;
}

/** What a feature module is given to plug itself in: shared services, built once by the composition root. */
export interface FeatureContext {
  config: Config;
  store: Store;
  clock: Clock;
  logger: Logger;
  incidents: IncidentService;
  client: WebClient;
  /** Wakes the outbox sender after a commit made outside a listener. */
  notify(): void;
  /** Runs work in the next group commit; resolves once it is durable (HTTP routes answer after it). */
  write<T>(work: () => T): Promise<T>;
}

/** What a feature brings: its listeners, its outbox renderers (by subject prefix, e.g. `ROT`), its scheduled tasks. */
export interface FeatureModule {
  feature?: Feature;
  renderers?: Record<string, SubjectRenderer>;
  tasks?: ScheduledTask[];
  /** HTTP routes served on PORT in both modes, beside /healthz (the rate-limit signal intake). */
  routes?: HealthRoute[];
  /** Resolves when work the module started outside a request (a scheduled Git scan) is done. */
  settle?(): Promise<void>;
  /** Releases what the feature holds beyond the store (a worker thread) when the bot stops. */
  close?(): Promise<void>;
}

export type FeatureFactory = (ctx: FeatureContext) => FeatureModule;
