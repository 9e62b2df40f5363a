import { LeakService } from '../app/leak-service';
import { SignalService } from '../app/signal-service';
import { KeyRepository } from '../db/key-repository';
import { LeakRepository } from '../db/leak-repository';
import { SignalRepository } from '../db/signal-repository';
import { registeredNameFor } from '../domain/leak';
import { type BaselineSettings, DEFAULT_BASELINE } from '../domain/signals/rate-baseline';
import { signalRoutes } from '../http/signal-routes';
import { signalDismissButton, signalOpenIncidentButton } from '../slack/listeners/actions/signal-actions';
import { signalDismissView } from '../slack/listeners/views/signal-views';
import { signalLeakRenderer, signalRenderer } from '../slack/signal-renderer';
import type { FeatureFactory } from './feature';

export interface RateLimitSignalsOptions {
  randomBytes: (n: number) => Uint8Array;
}

/**
 * Rate-limit spikes as a compromise signal (PRODUCT.md section 11): POST /signals/alertmanager and
 * /signals/rate-limits (off until SIGNALS_TOKEN is set), one warning per spike (`SIG-n`) with
 * `signal_open_incident` and `signal_dismiss`, and the SIGNALS stream. The buttons stay registered when the intake
 * is off, so warnings posted before it was turned off still answer.
 */
export function rateLimitSignals(options: RateLimitSignalsOptions): FeatureFactory {
  return (ctx) => {
    const settings = ctx.config.signals;
    const baseline: BaselineSettings = settings
      ? {
          floorPerMinute: settings.floorPerMinute,
          madMultiplier: settings.madMultiplier,
          historyWindows: settings.historyWindows,
          warmUpMs: settings.warmUpMinutes * 60_000,
        }
      : DEFAULT_BASELINE;
    const keys = new KeyRepository(ctx.store.db);
    const leakRows = new LeakRepository(ctx.store.db);
    const leaks = new LeakService({
      store: ctx.store,
      leaks: leakRows,
      incidents: ctx.incidents,
      clock: ctx.clock,
      randomBytes: options.randomBytes,
      nameKey: (mode, last4) => registeredNameFor(keys.list(), { mode, last4 }),
    });
    const signals = new SignalService({
      store: ctx.store,
      signals: new SignalRepository(ctx.store.db),
      incidents: ctx.incidents,
      leaks,
      clock: ctx.clock,
      registeredKeys: () => keys.list(),
      settings: baseline,
      defaultChannel: settings?.channel ?? ctx.config.reminderChannel ?? null,
    });
    return {
      feature: {
        actions: [signalOpenIncidentButton(signals), signalDismissButton(signals)],
        views: [signalDismissView(signals)],
      },
      renderers: { SIG: signalRenderer(ctx.store, signals), SIGLEAK: signalLeakRenderer(ctx.store, leakRows) },
      routes: settings
        ? signalRoutes({
            token: settings.token,
            hmac: settings.hmacSecret
              ? {
                  secret: settings.hmacSecret,
                  header: settings.hmacHeader,
                  timestampHeader: settings.hmacTimestampHeader,
                  maxSkewSeconds: 300,
                }
              : null,
            signals,
            clock: ctx.clock,
            logger: ctx.logger,
            write: ctx.write,
            notify: ctx.notify,
          })
        : [],
    };
  };
}
