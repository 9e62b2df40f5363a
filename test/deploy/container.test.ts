import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BotHarness } from '../support/bot-harness';

// No container engine runs where these tests run, so the image is never built here. What can be checked without
// one is: the Dockerfile's promises, and its health-check command against the real bot.

const root = resolve(import.meta.dirname, '../..');
const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');
const instructions = dockerfile
  .replace(/\\\n\s*/g, ' ')
  .split('\n')
  .map((line) => line.trim())
  .filter((line) => line !== '' && !line.startsWith('#'));
const runtimeStage = instructions.slice(instructions.findLastIndex((line) => line.startsWith('FROM ')));

/** The exec-form command of HEALTHCHECK … CMD ["node", "-e", "…"]. */
function healthCheckCommand(): string[] {
  const line = runtimeStage.find((l) => l.startsWith('HEALTHCHECK '));
  const json = line?.slice(line.indexOf('CMD ') + 'CMD '.length);
  return JSON.parse(json ?? '[]') as string[];
}

function exitCodeOf(command: string[], env: Record<string, string>): Promise<number | null> {
  return new Promise((done) => {
    const child = execFile(command[0] ?? 'false', command.slice(1), { env, timeout: 10_000 });
    child.on('exit', (code) => done(code));
  });
}

describe('the container image definition', () => {
  it('runs as an unprivileged user, with the database on the /data volume and production dependencies only', () => {
    expect(instructions.filter((l) => l.startsWith('FROM '))).toEqual([
      'FROM node:24-bookworm-slim AS build',
      'FROM node:24-bookworm-slim AS runtime',
    ]);
    expect(runtimeStage).toContain('USER node');
    expect(runtimeStage).toContain('VOLUME ["/data"]');
    expect(runtimeStage.join('\n')).toContain('DATABASE_PATH=/data/paykore-bot.sqlite');
    expect(instructions.join('\n')).toMatch(/npm run build\s+&& npm prune --omit=dev/);
    expect(runtimeStage.join('\n')).not.toMatch(/apt-get|g\+\+|curl/);
    expect(runtimeStage.at(-1)).toBe('CMD ["node", "bin/paykore-bot.js", "start"]');
  });

  it('runs the compiled code with plain node: no sources and no TypeScript tooling in the image that runs', () => {
    const copies = runtimeStage.filter((l) => l.startsWith('COPY '));
    expect(copies).toContain('COPY --from=build /app/dist ./dist');
    expect(copies.join('\n')).not.toMatch(/\bsrc\b|scripts/);
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    for (const tooling of ['tsx', 'esbuild', 'typescript', 'ts-node'])
      expect(pkg.dependencies).not.toHaveProperty(tooling);
    // Nor anything production installs pulls them in on its own.
    const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { dev?: boolean }>;
    };
    const production = Object.entries(lock.packages).filter(([path, entry]) => path !== '' && !entry.dev);
    expect(production.map(([path]) => path).filter((path) => /\/(tsx|esbuild|typescript)$/.test(path))).toEqual([]);
    expect(readFileSync(join(root, 'bin/paykore-bot.js'), 'utf8')).not.toMatch(/tsx|\.ts['"]/);
  });

  it('keeps secrets and databases out of the build context', () => {
    const ignored = readFileSync(join(root, '.dockerignore'), 'utf8').split('\n');
    expect(ignored).toEqual(
      expect.arrayContaining(['*', '**/.env', '**/*.sqlite', '!src/', '!scripts/build.mjs', '!migrations/']),
    );
  });

  it("has a health check that passes against the running bot's /healthz and fails once it is down", async () => {
    const command = healthCheckCommand();
    expect(command.slice(0, 2)).toEqual(['node', '-e']);
    const h = await BotHarness.start({ transport: 'socket' });
    const env = { PATH: process.env.PATH ?? '', PORT: String(h.bot.port()) };
    let up: number | null;
    try {
      up = await exitCodeOf(command, env);
    } finally {
      await h.close();
    }
    expect(up).toBe(0);
    expect(await exitCodeOf(command, env)).toBe(1);
  });
});
