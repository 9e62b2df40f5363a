import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { expect, it } from 'vitest';
import { parse } from 'yaml';
import { COMMAND } from '../../src/slack/ids';
import { validateManifest } from '../support/manifest-schema';
import { describeConformance, specPath } from '../support/specs';

const root = resolve(import.meta.dirname, '../..');
const manifest = parse(readFileSync(join(root, 'manifest.yml'), 'utf8')) as {
  features: { slash_commands: { command: string; should_escape?: boolean }[] };
  oauth_config: { scopes: { bot: string[] } };
  settings: { event_subscriptions: { bot_events: string[] } };
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

/** Every Web API method the code calls, read off the source: `client.chat.postMessage(`, `filesUploadV2(` … */
function methodsCalled(): Set<string> {
  const methods = new Set<string>();
  for (const file of sourceFiles(join(root, 'src'))) {
    const source = readFileSync(file, 'utf8');
    for (const match of source.matchAll(/\b(?:client|viewsClient|webClient)\s*\.\s*([a-z]+(?:\.[a-zA-Z]+)+)\s*\(/g)) {
      methods.add(match[1]!);
    }
    if (/\.filesUploadV2\(/.test(source)) {
      methods.add('files.getUploadURLExternal');
      methods.add('files.completeUploadExternal');
    }
  }
  return methods;
}

// The OpenAPI spec (2020) names legacy scopes; bot tokens use their granular successors.
const GRANULAR: Record<string, string> = {
  'chat:write:bot': 'chat:write',
  'chat:write:user': 'chat:write',
  'channels:write': 'channels:join',
  'files:write:user': 'files:write',
};
// Methods newer than the spec, with the scope Slack's method pages give them.
const NEWER_METHODS: Record<string, string[]> = {
  'files.getUploadURLExternal': ['files:write'],
  'files.completeUploadExternal': ['files:write'],
  'apps.connections.open': ['none'],
};

function requiredScopes(method: string): string[] {
  if (NEWER_METHODS[method]) return NEWER_METHODS[method];
  const spec = JSON.parse(
    readFileSync(specPath('slack-api-specs', 'web-api', 'slack_web_openapi_v2.json'), 'utf8'),
  ) as {
    paths: Record<string, Record<string, { security?: { slackAuth?: string[] }[] }>>;
  };
  const operations = Object.values(spec.paths[`/${method}`] ?? {});
  if (operations.length === 0) throw new Error(`${method} is not in Slack's Web API spec`);
  return operations
    .flatMap((op) => op.security?.flatMap((s) => s.slackAuth ?? []) ?? [])
    .map((scope) => GRANULAR[scope] ?? scope);
}

describeConformance('manifest.yml', () => {
  it("validates against Slack's manifest schema", () => {
    expect(validateManifest(manifest)).toEqual([]);
  });

  it('grants a scope for every Web API method the code calls', () => {
    const methods = methodsCalled();
    expect(methods.has('chat.postMessage')).toBe(true);
    const granted = new Set([...manifest.oauth_config.scopes.bot, 'none']);
    const missing = [...methods].filter((method) => !requiredScopes(method).some((scope) => granted.has(scope)));
    expect(missing).toEqual([]);
  });

  it('grants what incident rooms need, for public and private rooms alike', () => {
    // The spec's legacy `channels:write` maps to channels:join above, which cannot create a channel: a bot token
    // needs channels:manage for public channels and groups:write for private ones.
    const methods = methodsCalled();
    for (const method of [
      'conversations.create',
      'conversations.invite',
      'conversations.setTopic',
      'conversations.archive',
    ])
      expect(methods.has(method)).toBe(true);
    expect(manifest.oauth_config.scopes.bot).toEqual(
      expect.arrayContaining(['channels:manage', 'groups:write', 'usergroups:read']),
    );
  });
});

it('declares the slash command with escaping, and the events the bot listens to', () => {
  const command = manifest.features.slash_commands.find((c) => c.command === COMMAND);
  expect(command?.should_escape).toBe(true);
  expect(manifest.oauth_config.scopes.bot).toContain('commands');
  expect(manifest.settings.event_subscriptions.bot_events).toEqual(
    expect.arrayContaining(['message.channels', 'message.groups']),
  );
});
