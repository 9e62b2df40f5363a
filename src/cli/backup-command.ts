import { loadOfflineConfig } from '../config';
import { BackupError, backupDatabase } from '../db/backup';
import type { CliCommand } from './commands';

const USAGE = 'Usage: paykore-bot backup <file>   e.g. paykore-bot backup /backups/paykore-bot-2026-11-28.sqlite\n';

/**
 * `paykore-bot backup <file>`: a consistent copy of DATABASE_PATH, safe while the bot runs. Restoring is starting
 * the bot with DATABASE_PATH pointing at the copy; `paykore-bot verify` checks it first.
 */
export const backupCommand: CliCommand = {
  name: 'backup',
  usage: 'backup <file>',
  summary: 'copy the database while the bot runs (SQLite online backup)',
  async run({ positionals, io }) {
    const [file, ...extra] = positionals;
    if (!file || extra.length > 0) {
      io.err(`Name one file to write the backup to.\n${USAGE}`);
      return 2;
    }
    const config = loadOfflineConfig();
    try {
      const result = await backupDatabase(config.databasePath, file);
      io.out(
        [
          `Backed up ${config.databasePath} to ${result.destination}`,
          `  ${result.pages} pages, schema version ${result.schemaVersion}, ${result.events} events in ${result.streams} streams, integrity ok`,
          `Check its hash chains: DATABASE_PATH=${result.destination} paykore-bot verify`,
          `Restore: stop the bot, then start it with DATABASE_PATH=${result.destination}`,
          '',
        ].join('\n'),
      );
      return 0;
    } catch (error) {
      if (!(error instanceof BackupError)) throw error;
      io.err(`${error.message}\n`);
      return 1;
    }
  },
};
