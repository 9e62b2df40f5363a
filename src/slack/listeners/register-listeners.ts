import type { App } from '@slack/bolt';
import type { Feature } from '../../features/feature';
import { paykoreIncident } from './commands/paykore-incident';
import { type ListenerDeps, ListenerRegistry } from './registry';

/** Registers every feature's listeners through one registry, then the slash command that dispatches subcommands. */
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
