import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'vitest';

// Slack's artifacts live beside the project (../shared/slack-specs) and are read at run time, never copied in:
// they carry their own licences and are refreshed upstream.
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export function specsDir(): string {
  return process.env.SLACK_SPECS_DIR ?? resolve(repoRoot, '..', 'shared', 'slack-specs');
}

export function specsAvailable(): boolean {
  return existsSync(resolve(specsDir(), 'block-kit-schema', 'slack-block-kit.schema.json'));
}

export function specPath(...parts: string[]): string {
  return resolve(specsDir(), ...parts);
}

/**
 * A describe block that needs slack-specs. A user's own clone may lack them, so it skips there with the reason
 * in its name; CI must never silently skip conformance, so under CI=true it fails instead.
 */
export function describeConformance(name: string, fn: () => void): void {
  if (specsAvailable()) {
    describe(name, fn);
    return;
  }
  const where = specsDir();
  if (process.env.CI === 'true') {
    describe(name, () => {
      it('requires slack-specs in CI', () => {
        throw new Error(`slack-specs are required in CI but were not found at ${where}; set SLACK_SPECS_DIR`);
      });
    });
    return;
  }
  describe.skip(`${name} (skipped: slack-specs not found at ${where}; set SLACK_SPECS_DIR)`, fn);
}
