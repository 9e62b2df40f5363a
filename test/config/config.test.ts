import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONFIG_VARIABLES, ConfigError, parseConfig } from '../../src/config';

const root = resolve(import.meta.dirname, '../..');
const valid = { SLACK_BOT_TOKEN: 'xoxb-1-2-fake', SLACK_APP_TOKEN: 'xapp-1-fake' };

function problemsOf(env: Record<string, string>): string[] {
  try {
    parseConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('configuration', () => {
  it('applies the documented defaults', () => {
    expect(parseConfig(valid)).toMatchObject({
      slackMode: 'socket',
      port: 3000,
      slackApiUrl: 'https://slack.com/api/',
      databasePath: './data/paykore-bot.sqlite',
      responders: [],
      rotationDays: 90,
      reminderOffsetsDays: [14, 7, 1],
      revokeNudgeMinutes: 5,
      displayTimeZone: 'UTC',
      logLevel: 'info',
    });
  });

  it('names every bad variable in one message, without echoing secret values', () => {
    const problems = problemsOf({
      SLACK_BOT_TOKEN: 'xapp-wrong-kind-SECRETVALUE',
      SLACK_MODE: 'carrier-pigeon',
      PORT: 'eighty',
      ROTATION_DAYS: '-3',
      REMINDER_OFFSETS_DAYS: '14,soon',
      DISPLAY_TIMEZONE: 'Mars/Olympus',
      RESPONDERS: 'U0OK00001,alice',
    });
    const named = problems.map((p) => p.split(' ')[0]);
    expect(named).toEqual(
      expect.arrayContaining([
        'SLACK_BOT_TOKEN',
        'SLACK_MODE',
        'PORT',
        'ROTATION_DAYS',
        'REMINDER_OFFSETS_DAYS',
        'DISPLAY_TIMEZONE',
        'RESPONDERS',
      ]),
    );
    expect(problems.join('\n')).not.toContain('SECRETVALUE');
  });

  it('requires the app token in socket mode and the signing secret in http mode', () => {
    expect(problemsOf({ SLACK_BOT_TOKEN: 'xoxb-1' })).toEqual([
      expect.stringMatching(/^SLACK_APP_TOKEN is required in socket mode/),
    ]);
    expect(problemsOf({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_MODE: 'http' })).toEqual([
      expect.stringMatching(/^SLACK_SIGNING_SECRET is required in http mode/),
    ]);
    expect(problemsOf({})).toEqual(
      expect.arrayContaining([expect.stringMatching(/^SLACK_BOT_TOKEN/), expect.stringMatching(/^SLACK_APP_TOKEN/)]),
    );
  });

  it('reads responders, offsets and the API URL', () => {
    const config = parseConfig({
      ...valid,
      RESPONDERS: 'U0AAA0001, S0GROUP01',
      REMINDER_OFFSETS_DAYS: '1,30,7,7',
      SLACK_API_URL: 'http://127.0.0.1:9/api',
    });
    expect(config.responders).toEqual(['U0AAA0001', 'S0GROUP01']);
    expect(config.reminderOffsetsDays).toEqual([30, 7, 1]);
    expect(config.slackApiUrl).toBe('http://127.0.0.1:9/api/');
  });

  it('.env.example lists exactly the variables the config reads', () => {
    const example = readFileSync(join(root, '.env.example'), 'utf8');
    const listed = [...example.matchAll(/^([A-Z_]+)=/gm)].map((m) => m[1]);
    expect(listed.sort()).toEqual([...CONFIG_VARIABLES].sort());
  });

  it('is the only reader of process.env in src/', async () => {
    const { execSync } = await import('node:child_process');
    const hits = execSync('grep -rln "process\\.env" src || true', { cwd: root, encoding: 'utf8' })
      .trim()
      .split('\n')
      .filter(Boolean);
    expect(hits).toEqual(['src/config.ts']);
  });
});
