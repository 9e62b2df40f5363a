import { existsSync } from 'node:fs';
import type { Database } from 'better-sqlite3';
import { type Clock, systemClock } from '../app/clock';
import type { Logger } from '../app/logger';
import { createStore } from '../app/store';
import { loadOfflineConfig } from '../config';
import { openDatabase } from '../db/open-database';
import { dueAt, isoDate } from '../domain/keys/due-date';
import { describeReminder } from '../domain/keys/reminder-ladder';
import { plural } from '../domain/text';
import { isoUtc, parseIsoTime, utcMinute } from '../domain/time';
import { buildKeyRegister, type KeyRegister } from '../features/key-register';
import type { CliCommand } from './commands';
import type { CliIo } from './main';

// Offline views of the key register: they read the database and never write to it (read-only connection).

const quiet: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  child: () => quiet,
  isLevelEnabled: () => false,
};

function withRegister(io: CliIo, clock: Clock, work: (built: KeyRegister, db: Database) => number): number {
  const config = loadOfflineConfig();
  if (!existsSync(config.databasePath)) {
    io.err(`No database at ${config.databasePath}: start the bot once, or run \`paykore-bot migrate\`.\n`);
    return 1;
  }
  const db = openDatabase(config.databasePath, { readonly: true });
  try {
    if (!db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'keys'").get()) {
      io.err(`The database at ${config.databasePath} has no key register yet: run \`paykore-bot migrate\`.\n`);
      return 1;
    }
    const built = buildKeyRegister({
      store: createStore(db),
      clock,
      logger: quiet,
      settings: {
        rotationDays: config.rotationDays,
        reminderOffsetsDays: config.reminderOffsetsDays,
        reminderChannel: config.reminderChannel,
      },
    });
    return work(built, db);
  } finally {
    db.close();
  }
}

function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length))) ?? [];
  return rows
    .map((row) =>
      row
        .map((cell, i) => cell.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

const minute = (ms: number | null): string => (ms === null ? '-' : utcMinute(ms, 'Z'));

/** `paykore-bot keys list` and `paykore-bot reminders --dry-run [--at <time>]`. */
export function keyCliCommands(clock: Clock = systemClock): CliCommand[] {
  const keys: CliCommand = {
    name: 'keys',
    usage: 'keys list',
    summary: 'print the key register with due dates and the next reminder',
    async run({ positionals, io }) {
      if (positionals.length !== 1 || positionals[0] !== 'list') {
        io.err('Usage: paykore-bot keys list\n');
        return 2;
      }
      return withRegister(io, clock, ({ register }) => {
        const all = register.list();
        if (all.length === 0) {
          io.out('The key register is empty.\n');
          return 0;
        }
        const rows = [
          ['LABEL', 'ENV', 'MODE', 'LAST4', 'STATUS', 'CYCLE', 'ROTATED', 'DUE', 'NEXT REMINDER', 'OWNER', 'CHANNEL'],
        ];
        for (const key of all) {
          const retired = key.status === 'revoked' || key.status === 'compromised';
          const reuse = register.likelyReuse(key).map((other) => `${other.label} (${other.environment})`);
          rows.push([
            reuse.length > 0 && !retired ? `${key.label} [likely reused: same key as ${reuse.join(', ')}]` : key.label,
            key.environment,
            key.mode,
            key.last4 ?? '-',
            key.status,
            String(key.cycle),
            isoDate(key.rotatedAt),
            retired ? '-' : isoDate(dueAt(key, register.rotationDays)),
            minute(register.nextReminderAt(key)),
            key.ownerId ?? '-',
            register.reminderChannelFor(key) ?? '(none)',
          ]);
        }
        io.out(`${table(rows)}\n`);
        return 0;
      });
    },
  };
  const reminders: CliCommand = {
    name: 'reminders',
    usage: 'reminders --dry-run [--at <time>]',
    summary: 'print the rotation reminders a tick would post now (or at --at); changes nothing',
    options: { 'dry-run': { type: 'boolean' }, at: { type: 'string' } },
    async run({ values, io }) {
      if (values['dry-run'] !== true) {
        io.err(
          'The running bot posts reminders (paykore-bot start). Use `paykore-bot reminders --dry-run [--at <time>]` to see what it would post.\n',
        );
        return 2;
      }
      const atText = typeof values.at === 'string' ? values.at : null;
      const at = atText === null ? clock().getTime() : parseIsoTime(atText);
      if (at === null) {
        io.err('--at takes an ISO-8601 time, e.g. 2027-02-12T09:00Z (a time without a zone is UTC).\n');
        return 2;
      }
      return withRegister(io, clock, ({ register }) => {
        const previews = register.previewReminders(at);
        const lines = previews.map((preview) => {
          const where = preview.channelId ?? 'nowhere: skipped (no channel on the key, REMINDER_CHANNEL empty)';
          const owner = preview.key.ownerId ? `, mentioning ${preview.key.ownerId}` : '';
          return `${preview.decision.stage.padEnd(12)} → ${where}${owner}\n  ${describeReminder(preview.key, preview.decision, at)}`;
        });
        const posted = previews.filter((preview) => preview.channelId !== null).length;
        const skipped = previews.length - posted;
        io.out(
          `Dry run at ${isoUtc(at)}: ${plural(posted, 'reminder')} would be posted${
            skipped > 0 ? `, ${skipped} skipped for want of a channel` : ''
          }. Nothing was changed.\n${lines.length > 0 ? `${lines.join('\n')}\n` : ''}`,
        );
        return 0;
      });
    },
  };
  return [keys, reminders];
}
