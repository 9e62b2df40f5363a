import type { ParseArgsConfig } from 'node:util';
import { backupCommand } from './backup-command';
import { exportCommand } from './export-command';
import { keyCliCommands } from './key-commands';
import type { CliIo } from './main';
import { scanGitCommand } from './scan-git-command';
import { verifyCommand } from './verify-command';

/** A CLI command other than start/migrate. Feature modules add theirs to CLI_COMMANDS. */
export interface CliCommand {
  name: string;
  usage: string;
  summary: string;
  options?: ParseArgsConfig['options'];
  run(args: { positionals: string[]; values: Record<string, unknown>; io: CliIo }): Promise<number>;
}

export const CLI_COMMANDS: CliCommand[] = [
  ...keyCliCommands(),
  exportCommand,
  verifyCommand,
  backupCommand,
  scanGitCommand(),
];
