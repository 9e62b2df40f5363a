import { type ChildProcess, spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { SIGNING_SECRET } from './bot-harness';
import type { StandIn } from './slack-stand-in';
import { TEST_BOT_TOKEN } from './slack-stand-in';

const root = resolve(import.meta.dirname, '../..');

/** The bot as a user runs it: `paykore-bot start` in its own process, HTTP mode, against the stand-in. */
export class BotProcess {
  private constructor(
    readonly child: ChildProcess,
    readonly port: number,
    readonly output: string[],
  ) {}

  static async start(standIn: StandIn, databasePath: string, env: Record<string, string> = {}): Promise<BotProcess> {
    const output: string[] = [];
    const child = spawn(process.execPath, [join(root, 'bin/paykore-bot.js'), 'start'], {
      cwd: root,
      env: {
        PATH: process.env.PATH ?? '',
        SLACK_MODE: 'http',
        SLACK_BOT_TOKEN: TEST_BOT_TOKEN,
        SLACK_SIGNING_SECRET: SIGNING_SECRET,
        SLACK_API_URL: standIn.url,
        DATABASE_PATH: databasePath,
        PORT: '0',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const port = await new Promise<number>((resolvePort, reject) => {
      const timer = setTimeout(() => reject(new Error(`bot did not start:\n${output.join('\n')}`)), 20_000);
      const onLine = (chunk: Buffer) => {
        for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) {
          output.push(line);
          if (line.includes('PayKore incident bot ready')) {
            clearTimeout(timer);
            resolvePort((JSON.parse(line) as { port: number }).port);
          }
        }
      };
      child.stdout?.on('data', onLine);
      child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString('utf8')));
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`bot exited with ${code} before it was ready:\n${output.join('\n')}`));
      });
    });
    return new BotProcess(child, port, output);
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/slack/events`;
  }

  /** Sends a signal and resolves with the exit code (or the signal's name). */
  stop(signal: NodeJS.Signals): Promise<number | string> {
    return new Promise((resolveExit) => {
      if (this.child.exitCode !== null || this.child.signalCode !== null) {
        resolveExit(this.child.exitCode ?? this.child.signalCode ?? 'gone');
        return;
      }
      this.child.once('exit', (code, sig) => resolveExit(code ?? sig ?? 'gone'));
      this.child.kill(signal);
    });
  }
}
