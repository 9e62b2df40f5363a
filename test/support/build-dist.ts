import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';

/**
 * Vitest global setup: compiles the bot to dist/ before any test runs, so the tests that start `paykore-bot` as a
 * process run what users run (the compiled JavaScript, plain node), built from the sources under test.
 * A vitest started by a test (test/support/slack-stand-in.test.ts does) inherits the flag and does not rebuild:
 * replacing dist/ under the running suite would pull it from under the bots other test files are starting.
 */
export default function buildDist(): void {
  if (process.env.PAYKORE_TEST_DIST_BUILT === '1') return;
  const root = resolve(import.meta.dirname, '../..');
  execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: root, stdio: 'inherit' });
  process.env.PAYKORE_TEST_DIST_BUILT = '1';
}
