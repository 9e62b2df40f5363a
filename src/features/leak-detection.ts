import { LeakService } from '../app/leak-service';
import { KeyRepository } from '../db/key-repository';
import { LeakRepository } from '../db/leak-repository';
import { registeredNameFor } from '../domain/leak';
import { leakRenderer } from '../slack/leak-renderer';
import { leakOpenIncidentButton } from '../slack/listeners/actions/leak-actions';
import { secretKeyScreen } from '../slack/listeners/commands/secret-key-screen';
import { leakedKeyMessages } from '../slack/listeners/events/leaked-key-messages';
import { leakedKeyForms } from '../slack/listeners/views/leaked-key-forms';
import { sharedFileReader } from '../slack/shared-file-text';
import type { FeatureFactory } from './feature';

export interface LeakDetectionOptions {
  /** node:crypto randomBytes in production: the fingerprint secret is made from it on first start. */
  randomBytes: (n: number) => Uint8Array;
}

/**
 * Leaked-key detection (PRODUCT.md section 7): warnings under channel messages that hold a secret key, refusal of
 * keys typed into the command or a form, and `leak_open_incident`. Its events go in the `LEAKS` stream.
 */
export function leakDetection(options: LeakDetectionOptions): FeatureFactory {
  return (ctx) => {
    const repository = new LeakRepository(ctx.store.db);
    const registered = new KeyRepository(ctx.store.db);
    const leaks = new LeakService({
      store: ctx.store,
      leaks: repository,
      incidents: ctx.incidents,
      clock: ctx.clock,
      randomBytes: options.randomBytes,
      // A leaked key the register knows is named as registered, so the incident marks that key compromised.
      nameKey: (mode, last4) => registeredNameFor(registered.list(), { mode, last4 }),
    });
    return {
      feature: {
        actions: [leakOpenIncidentButton(leaks)],
        screens: [secretKeyScreen(leaks)],
        register(app, deps) {
          const readFiles = sharedFileReader({
            botToken: ctx.config.slackBotToken,
            allowedHosts: ['files.slack.com', new URL(ctx.config.slackApiUrl).host],
          });
          leakedKeyMessages(app, leaks, deps, readFiles);
          leakedKeyForms(app, leaks, deps);
        },
      },
      renderers: { LEAK: leakRenderer(ctx.store, repository) },
    };
  };
}
