import type { App } from '@slack/bolt';
import {
  noteButton,
  redeployButton,
  resolveButton,
  reviewButton,
  revokeButton,
  supportButton,
} from './actions/incident-actions';
import type { SubcommandTable } from './commands/command-context';
import { incidentSubcommands } from './commands/incident-subcommands';
import { type CommandScreen, paykoreIncident } from './commands/paykore-incident';
import { type ActionSpec, type ListenerDeps, ListenerRegistry, type ViewSpec } from './registry';
import { declareView, noteView, redeployView, resolveView, reviewView, supportView } from './views/incident-views';

/** Every listener the bot has, in one explicit list. Features add theirs through `features`. */
export interface Feature {
  actions?: ActionSpec[];
  views?: ViewSpec[];
  subcommands?: SubcommandTable;
  screens?: CommandScreen[];
  register?(app: App, deps: ListenerDeps): void;
}

export const incidentFeature: Feature = {
  actions: [revokeButton, reviewButton, supportButton, redeployButton, resolveButton, noteButton],
  views: [declareView, reviewView, supportView, redeployView, resolveView, noteView],
  subcommands: incidentSubcommands,
};

export function registerListeners(app: App, deps: ListenerDeps, features: Feature[]): ListenerRegistry {
  const registry = new ListenerRegistry(app, deps);
  for (const feature of features) {
    for (const action of feature.actions ?? []) registry.action(action);
    for (const view of feature.views ?? []) registry.view(view);
    feature.register?.(app, deps);
  }
  paykoreIncident(
    app,
    registry,
    deps,
    features.map((feature) => feature.subcommands ?? {}),
    features.flatMap((feature) => feature.screens ?? []),
  );
  registry.finish();
  return registry;
}
