import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Clock, systemClock } from '../app/clock';
import { GitScanService } from '../app/git-scan-service';
import { IncidentService } from '../app/incident-service';
import { createStore } from '../app/store';
import { MISSING_RECORD_KEY } from '../boot/open-store';
import { ConfigError, loadOfflineConfig } from '../config';
import { GitScanRepository } from '../db/git-scan-repository';
import { KeyRepository } from '../db/key-repository';
import { LeakRepository } from '../db/leak-repository';
import { openDatabase } from '../db/open-database';
import { formatBaseline, parseBaseline } from '../domain/git-scan/baseline';
import { renderJson, renderSarif, renderText, type ScanReport } from '../domain/git-scan/report';
import { maskKey, redactSecretKeys } from '../domain/key-detector';
import { fingerprintKey, newFingerprintSecretHex } from '../domain/key-fingerprint';
import { GitError, gitText } from '../git/git-process';
import { checkRepository, scanHistory, scanStaged } from '../git/history-scan';
import type { CliCommand } from './commands';
import type { CliIo } from './main';

const USAGE = `Usage: paykore-bot scan-git [<repo-path>] [--since <rev>] [--format text|json|sarif] [--baseline <file>]
                            [--write-baseline <file>] [--post] [--quiet]
       paykore-bot scan-git [<repo-path>] --staged          (pre-commit hook: exit 1 when a key is staged)
       paykore-bot scan-git [<repo-path>] --install-hook    (install that pre-commit hook)`;

const FORMATS = ['text', 'json', 'sarif'] as const;
type Format = (typeof FORMATS)[number];

const HOOK_MARK = '# paykore-bot scan-git pre-commit hook';

export interface ScanGitCommandOptions {
  clock?: Clock;
  /** The command the hook runs; by default this installation's node and bin/paykore-bot.js. */
  hookCommand?: string;
}

class UsageError extends Error {}

const shellQuote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;

function defaultHookCommand(): string {
  const bin = fileURLToPath(new URL('../../bin/paykore-bot.js', import.meta.url));
  return `${shellQuote(process.execPath)} ${shellQuote(bin)}`;
}

export function hookScript(command: string): string {
  return `#!/bin/sh\n${HOOK_MARK} (installed by \`paykore-bot scan-git --install-hook\`; remove this file to uninstall)\nexec ${command} scan-git --staged\n`;
}

/** `paykore-bot scan-git`: PRODUCT.md section 12, docs/scan-git.md. */
export function scanGitCommand(options: ScanGitCommandOptions = {}): CliCommand {
  const clock = options.clock ?? systemClock;
  return {
    name: 'scan-git',
    usage: 'scan-git [<repo>] [options]',
    summary: 'find PayKore secret keys in every commit of a Git repository (see docs/scan-git.md)',
    options: {
      since: { type: 'string' },
      format: { type: 'string' },
      baseline: { type: 'string' },
      'write-baseline': { type: 'string' },
      post: { type: 'boolean' },
      quiet: { type: 'boolean' },
      staged: { type: 'boolean' },
      'install-hook': { type: 'boolean' },
    },
    async run({ positionals, values, io }) {
      try {
        if (positionals.length > 1) throw new UsageError('scan-git takes at most one repository path.');
        const repo = positionals[0] ?? '.';
        const modes = ['staged', 'install-hook'].filter((name) => values[name] === true);
        const others = ['since', 'format', 'baseline', 'write-baseline', 'post'].filter((n) => values[n] !== undefined);
        if (modes.length > 1 || (modes.length === 1 && others.length > 0)) {
          throw new UsageError(
            `--${modes[0]} cannot be combined with ${[...modes.slice(1), ...others].map((n) => `--${n}`).join(', ')}.`,
          );
        }
        if (values.staged === true) return await staged(repo, io);
        if (values['install-hook'] === true)
          return await installHook(repo, io, options.hookCommand ?? defaultHookCommand());
        return await scan(repo, values, io, clock);
      } catch (error) {
        if (error instanceof UsageError) {
          io.err(`${redactSecretKeys(error.message)}\n${USAGE}\n`);
          return 2;
        }
        if (error instanceof GitError) {
          io.err(`${redactSecretKeys(error.message)}\n`);
          return 2;
        }
        throw error;
      }
    },
  };
}

async function staged(repo: string, io: CliIo): Promise<number> {
  // Nothing is kept or compared here, so a throwaway secret serves: the hook needs no database.
  const secret = newFingerprintSecretHex(randomBytes);
  const sightings = await scanStaged(repo, (key) => fingerprintKey(key, secret));
  if (sightings.length === 0) return 0;
  const lines = sightings.map((s) => `  ${maskKey(s)} in ${redactSecretKeys(s.path)}, line ${s.line}`);
  io.err(
    `Commit refused: ${sightings.length === 1 ? 'a PayKore secret key is' : `${sightings.length} PayKore secret keys are`} staged.\n` +
      `${lines.join('\n')}\n` +
      'Remove it from the file, load it from the environment or a secrets manager instead, and `git add` again. ' +
      'And revoke it: if it was ever pushed, it is exposed.\n',
  );
  return 1;
}

async function installHook(repo: string, io: CliIo, command: string): Promise<number> {
  const repository = await checkRepository(repo);
  const relative = (await gitText({ cwd: repository, args: ['rev-parse', '--git-path', 'hooks/pre-commit'] })).trim();
  const path = isAbsolute(relative) ? relative : resolve(repository, relative);
  const script = hookScript(command);
  if (existsSync(path)) {
    const existing = readFileSync(path, 'utf8');
    if (existing === script) {
      io.out(`The pre-commit hook is already installed at ${path}.\n`);
      return 0;
    }
    io.err(
      `A different pre-commit hook exists at ${path}; it was left as it is. ` +
        `To add the key check to it, add this line to it: ${command} scan-git --staged\n`,
    );
    return 2;
  }
  writeFileSync(path, script, { mode: 0o755, flag: 'wx' });
  chmodSync(path, 0o755);
  io.out(`Installed the pre-commit hook at ${path}: a commit that stages a PayKore secret key is refused.\n`);
  return 0;
}

function parseFormat(value: unknown): Format {
  if (value === undefined) return 'text';
  if (typeof value === 'string' && (FORMATS as readonly string[]).includes(value)) return value as Format;
  throw new UsageError(`--format takes text, json or sarif.`);
}

function readBaseline(file: string | undefined): Set<string> {
  if (file === undefined) return new Set();
  if (!existsSync(file)) throw new UsageError(`There is no baseline file at ${file}.`);
  const parsed = parseBaseline(readFileSync(file, 'utf8'));
  if (!parsed.ok) throw new UsageError(`${file}: ${parsed.problem}`);
  return parsed.fingerprints;
}

function toolVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      version?: string;
    };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

async function scan(repo: string, values: Record<string, unknown>, io: CliIo, clock: Clock): Promise<number> {
  const format = parseFormat(values.format);
  const since = typeof values.since === 'string' ? values.since : null;
  const baseline = readBaseline(typeof values.baseline === 'string' ? values.baseline : undefined);
  const writeBaseline = typeof values['write-baseline'] === 'string' ? values['write-baseline'] : null;
  const quiet = values.quiet === true;
  const config = loadOfflineConfig();
  if (!existsSync(config.databasePath)) {
    io.err(
      `There is no database at DATABASE_PATH (${config.databasePath}). scan-git keys its fingerprints with the bot's ` +
        'secret, kept in its database, so that a key found in Git is recognised as the same leak as in Slack: point ' +
        "DATABASE_PATH at the bot's database (or run `paykore-bot migrate` to create one).\n",
    );
    return 2;
  }
  await checkRepository(repo);
  const db = openDatabase(config.databasePath);
  try {
    // Keyed like the bot's own writes: an unkeyed event after keyed ones would read as a rebuilt stream.
    const store = createStore(db, { recordKey: config.recordKey });
    const leaks = new LeakRepository(db);
    // The bot makes this secret on first start; a scan before that makes it the same way, so both agree later.
    const secret = store.transaction(() => leaks.fingerprintSecret(() => newFingerprintSecretHex(randomBytes)));
    const service = new GitScanService({
      store,
      leaks,
      keys: new KeyRepository(db),
      scans: new GitScanRepository(db),
      clock,
      channels: { signalsChannel: config.signalsChannel, reminderChannel: config.reminderChannel },
      incidents: new IncidentService({ store, clock, revokeNudgeMinutes: config.revokeNudgeMinutes }),
    });
    // Refused before a long scan, not after it: what --post records must be keyed like the rest of the record.
    if (values.post === true && !config.recordKey && store.events.hasKeyedEvents()) {
      throw new ConfigError([MISSING_RECORD_KEY]);
    }
    const started = performance.now();
    const result = await scanHistory({
      repo,
      since,
      fingerprint: (key) => fingerprintKey(key, secret),
      onProgress: quiet
        ? undefined
        : ({ commits, elapsedMs }) =>
            io.err(
              `scan-git: ${commits} commits scanned (${Math.round(commits / Math.max(elapsedMs / 1000, 0.001))}/s)\n`,
            ),
    });
    const all = service.annotate(result.findings);
    const findings = all.filter((f) => !baseline.has(f.fingerprint));
    const report: ScanReport = {
      repository: redactSecretKeys(result.repository),
      head: result.head,
      since: since && redactSecretKeys(since),
      scannedCommits: result.scannedCommits,
      findings,
      ignoredByBaseline: all.length - findings.length,
    };
    if (!quiet && result.scannedCommits >= 500) {
      const seconds = (performance.now() - started) / 1000;
      io.err(`scan-git: done, ${result.scannedCommits} commits in ${seconds.toFixed(1)} s\n`);
    }
    io.out(
      format === 'json'
        ? renderJson(report)
        : format === 'sarif'
          ? renderSarif(report, toolVersion())
          : renderText(report),
    );
    if (writeBaseline !== null) {
      writeFileSync(writeBaseline, formatBaseline(all, baseline));
      io.err(
        `Wrote ${all.length} fingerprint${all.length === 1 ? '' : 's'} to ${writeBaseline}: later scans with --baseline ignore these keys.\n`,
      );
      return 0;
    }
    if (values.post === true) {
      const recorded = service.record({ repository: report.repository, tips: result.tips, findings });
      io.err(
        `Posted ${recorded.posted.length} new key warning${recorded.posted.length === 1 ? '' : 's'} (sent by the running bot); ` +
          `${recorded.known.length} already known.` +
          (recorded.unposted.length > 0
            ? ` ${recorded.unposted.length} not posted: no channel (set the key's channel in the register, SIGNALS_CHANNEL or REMINDER_CHANNEL).`
            : '') +
          '\n',
      );
    }
    return findings.length > 0 ? 1 : 0;
  } finally {
    db.close();
  }
}
