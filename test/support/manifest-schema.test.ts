import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { validateManifest } from './manifest-schema';
import { describeConformance, specPath } from './specs';

const fixture = (version: string, name: string): unknown =>
  JSON.parse(readFileSync(specPath('manifest-schema', 'tests', 'manifests', version, `manifest.${name}.json`), 'utf8'));

const minimal = (command: Record<string, unknown>) => ({
  _metadata: { major_version: 1, minor_version: 1 },
  display_information: { name: 'PayKore Incident Bot' },
  features: { bot_user: { display_name: 'paykore-bot' }, slash_commands: [command] },
  oauth_config: { scopes: { bot: ['commands', 'chat:write'] } },
});

describeConformance('validateManifest', () => {
  for (const version of ['v1', 'v2']) {
    it(`accepts the upstream ${version} valid fixture`, () => {
      expect(validateManifest(fixture(version, 'valid'))).toEqual([]);
    });

    it(`rejects the upstream ${version} invalid fixture`, () => {
      expect(validateManifest(fixture(version, 'invalid'))).not.toEqual([]);
    });
  }

  it('accepts a slash command with a description', () => {
    expect(validateManifest(minimal({ command: '/paykore-incident', description: 'Key incidents' }))).toEqual([]);
  });

  it('rejects a slash command without a leading slash or description', () => {
    expect(validateManifest(minimal({ command: 'paykore-incident' }))).not.toEqual([]);
  });
});
