import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';

/**
 * Vitest global setup: compiles the bot to dist/ before any test runs, so the tests that start `paykore-bot` as a
 * process run what users run (the compiled JavaScript, plain node), built from the sources under test.
 */
export default function buildDist(): void {
  const root = resolve(import.meta.dirname, '../..');
  execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: root, stdio: 'inherit' });
}
