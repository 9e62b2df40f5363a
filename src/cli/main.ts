import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, loadOfflineConfig } from '../config';
import { DatabaseTooNewError } from '../db/migrate';
import { openDatabase } from '../db/open-database';
import { createLogger } from '../log/create-logger';
import { createBot } from '../main';
import { CLI_COMMANDS, type CliCommand } from './commands';

const USAGE = `Usage: paykore-bot <command>

  start                         run the bot (Socket Mode or HTTP, from the environment / .env)
  migrate                       create or upgrade the database at DATABASE_PATH
${CLI_COMMANDS.map((c) => `  ${c.usage.padEnd(30)}${c.summary}`).join('\n')}
  help                          this text`;

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
}

const processIo: CliIo = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

async function start(): Promise<number> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  process.on('unhandledRejection', (reason) => logger.error({ error: reason }, 'unhandled rejection; still serving'));
  process.on('uncaughtException', (error) => logger.error({ error }, 'uncaught exception; still serving'));
  const bot = await createBot({ config, logger });
  await bot.start();
  await new Promise<void>((resolve) => {
    const shutdown = (signal: string) => {
      logger.info({ signal }, 'shutting down: finishing in-flight work');
      bot.stop().then(resolve, (error: unknown) => {
        logger.error({ error }, 'shutdown failed');
        resolve();
      });
    };
    process.once('SIGTERM', () => shutdown('SIGTERM'));
    process.once('SIGINT', () => shutdown('SIGINT'));
  });
  return 0;
}

function migrateCommand(io: CliIo): number {
  const config = loadOfflineConfig();
  const db = openDatabase(config.databasePath, { migrate: false });
  const before = db.pragma('user_version', { simple: true });
  db.close();
  const migrated = openDatabase(config.databasePath);
  const after = migrated.pragma('user_version', { simple: true });
  migrated.close();
  io.out(`Database ${config.databasePath}: schema version ${before} → ${after}.\n`);
  return 0;
}

/** Runs one CLI command; returns the exit code. */
export async function runCli(argv: string[], io: CliIo = processIo): Promise<number> {
  const [name, ...rest] = argv;
  try {
    if (name === 'start') return await start();
    if (name === 'migrate') return migrateCommand(io);
    if (!name || name === 'help' || name === '--help') {
      io.out(`${USAGE}\n`);
      return name ? 0 : 2;
    }
    const command: CliCommand | undefined = CLI_COMMANDS.find((c) => c.name === name);
    if (!command) {
      io.err(`Unknown command "${name}".\n${USAGE}\n`);
      return 2;
    }
    const parsed = parseArgs({ args: rest, options: command.options ?? {}, allowPositionals: true, strict: true });
    return await command.run({ positionals: parsed.positionals, values: parsed.values as Record<string, unknown>, io });
  } catch (error) {
    if (error instanceof ConfigError || error instanceof DatabaseTooNewError) {
      io.err(`${error.message}\n`);
      return 78; // EX_CONFIG
    }
    if (
      (error as { code?: string }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' ||
      (error as { code?: string }).code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE'
    ) {
      io.err(`${(error as Error).message}\n${USAGE}\n`);
      return 2;
    }
    throw error;
  }
}
