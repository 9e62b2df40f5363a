import { GitScanService } from '../app/git-scan-service';
import { ScheduledGitScan } from '../app/scheduled-git-scan';
import { GitScanRepository } from '../db/git-scan-repository';
import { KeyRepository } from '../db/key-repository';
import { LeakRepository } from '../db/leak-repository';
import { fingerprintKey, newFingerprintSecretHex } from '../domain/key-fingerprint';
import type { FeatureFactory } from './feature';

export interface GitScanFeatureOptions {
  randomBytes: (n: number) => Uint8Array;
}

/**
 * Scheduled scans of SCAN_REPOS (PRODUCT.md section 12): one warning per new key, through the outbox, with the
 * leak feature's `leak_open_incident` button. Nothing runs when SCAN_REPOS is empty.
 */
export function gitScanFeature(options: GitScanFeatureOptions): FeatureFactory {
  return (ctx) => {
    if (ctx.config.scanRepos.length === 0) return {};
    const leaks = new LeakRepository(ctx.store.db);
    const secret = ctx.store.transaction(() =>
      leaks.fingerprintSecret(() => newFingerprintSecretHex(options.randomBytes)),
    );
    const service = new GitScanService({
      store: ctx.store,
      leaks,
      keys: new KeyRepository(ctx.store.db),
      scans: new GitScanRepository(ctx.store.db),
      clock: ctx.clock,
      channels: { signalsChannel: ctx.config.signalsChannel, reminderChannel: ctx.config.reminderChannel },
      incidents: ctx.incidents,
    });
    const scanner = new ScheduledGitScan({
      service,
      repos: ctx.config.scanRepos,
      intervalMinutes: ctx.config.scanIntervalMinutes,
      clock: ctx.clock,
      logger: ctx.logger,
      fingerprint: (key) => fingerprintKey(key, secret),
      notify: ctx.notify,
    });
    return {
      tasks: [{ name: 'git-scan', run: () => scanner.tick() }],
      settle: async () => {
        await scanner.idle();
      },
    };
  };
}
