import { config as loadDotenv } from 'dotenv';
import { z } from 'zod';
import { BotError } from './domain/bot-error';

// The only reader of process.env. Every variable PRODUCT.md section 9 names, and nothing else.

const csvOfIds = z
  .string()
  .default('')
  .transform((text) =>
    text
      .split(/[\s,]+/)
      .map((part) => part.trim())
      .filter(Boolean),
  )
  .pipe(
    z.array(
      z.string().regex(/^[UWS][A-Z0-9]{2,}$/, 'each entry must be a Slack user id (U…/W…) or user-group id (S…)'),
    ),
  );

const positiveInt = (fallback: number) =>
  z.coerce
    .number({ error: 'must be a whole number' })
    .int('must be a whole number')
    .positive('must be above zero')
    .default(fallback);

const offsets = z
  .string()
  .default('14,7,1')
  .transform((text) => text.split(',').map((part) => part.trim()))
  .pipe(z.array(z.string().regex(/^\d+$/, 'must be a comma-separated list of whole days, e.g. 14,7,1')))
  .transform((parts) => [...new Set(parts.map(Number))].filter((n) => n > 0).sort((a, b) => b - a));

const timeZone = z
  .string()
  .default('UTC')
  .refine((zone) => {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: zone });
      return true;
    } catch {
      return false;
    }
  }, 'must be an IANA time zone such as UTC or Europe/Berlin');

const emptyAsUndefined = (value: unknown) => (value === '' ? undefined : value);

const channelId = z
  .string()
  .regex(/^[CG][A-Z0-9]{2,}$/, 'must be a channel id such as C0123456789')
  .optional();

// Local clone paths, comma-separated (section 12).
const pathList = z
  .string()
  .default('')
  .transform((text) =>
    text
      .split(',')
      .map((part) => part.trim())
      .filter(Boolean),
  );

const variables = z.object({
  SLACK_BOT_TOKEN: z.string({ error: 'is required' }).regex(/^xoxb-/, 'must be a bot token starting with xoxb-'),
  SLACK_MODE: z.preprocess(
    emptyAsUndefined,
    z.enum(['socket', 'http'], { error: 'must be socket or http' }).default('socket'),
  ),
  SLACK_APP_TOKEN: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .regex(/^xapp-/, 'must be an app-level token starting with xapp-')
      .optional(),
  ),
  SLACK_SIGNING_SECRET: z.preprocess(
    emptyAsUndefined,
    z.string().min(8, 'is too short to be a signing secret').optional(),
  ),
  PORT: z.preprocess(
    emptyAsUndefined,
    z.coerce.number().int().min(0).max(65535, 'must be a port number').default(3000),
  ),
  SLACK_API_URL: z.preprocess(
    emptyAsUndefined,
    z
      .url({ error: 'must be a URL such as https://slack.com/api/' })
      .default('https://slack.com/api/')
      .transform((url) => (url.endsWith('/') ? url : `${url}/`)),
  ),
  DATABASE_PATH: z.preprocess(emptyAsUndefined, z.string().default('./data/paykore-bot.sqlite')),
  RESPONDERS: z.preprocess(emptyAsUndefined, csvOfIds),
  REMINDER_CHANNEL: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .regex(/^[CG][A-Z0-9]{2,}$/, 'must be a channel id such as C0123456789')
      .optional(),
  ),
  ROTATION_DAYS: z.preprocess(emptyAsUndefined, positiveInt(90)),
  REMINDER_OFFSETS_DAYS: z.preprocess(emptyAsUndefined, offsets),
  REVOKE_NUDGE_MINUTES: z.preprocess(emptyAsUndefined, positiveInt(5)),
  DISPLAY_TIMEZONE: z.preprocess(emptyAsUndefined, timeZone),
  LOG_LEVEL: z.preprocess(
    emptyAsUndefined,
    z
      .enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal'], {
        error: 'must be one of trace, debug, info, warn, error, fatal',
      })
      .default('info'),
  ),
  SIGNALS_CHANNEL: z.preprocess(emptyAsUndefined, channelId),
  SCAN_REPOS: z.preprocess(emptyAsUndefined, pathList),
  SCAN_INTERVAL_MINUTES: z.preprocess(emptyAsUndefined, positiveInt(60)),
});

export const configSchema = variables;

/** Rules across variables, checked on the raw text so they are reported alongside every other problem. */
function crossFieldProblems(env: Record<string, string | undefined>): string[] {
  const mode = env.SLACK_MODE || 'socket';
  const problems: string[] = [];
  if (mode === 'socket' && !env.SLACK_APP_TOKEN)
    problems.push('SLACK_APP_TOKEN is required in socket mode (SLACK_MODE=socket)');
  if (mode === 'http' && !env.SLACK_SIGNING_SECRET)
    problems.push('SLACK_SIGNING_SECRET is required in http mode (SLACK_MODE=http)');
  return problems;
}

export type RawConfig = z.infer<typeof configSchema>;

export interface Config {
  slackBotToken: string;
  slackMode: 'socket' | 'http';
  slackAppToken: string | undefined;
  slackSigningSecret: string | undefined;
  port: number;
  slackApiUrl: string;
  databasePath: string;
  responders: string[];
  reminderChannel: string | undefined;
  rotationDays: number;
  reminderOffsetsDays: number[];
  revokeNudgeMinutes: number;
  displayTimeZone: string;
  logLevel: 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';
  signalsChannel: string | undefined;
  scanRepos: string[];
  scanIntervalMinutes: number;
}

/** The names the config reads: `.env.example` must list exactly these (a test checks). */
export const CONFIG_VARIABLES = Object.keys(variables.shape) as (keyof RawConfig)[];

export class ConfigError extends BotError {
  constructor(readonly problems: string[]) {
    super(
      'config_invalid',
      `Configuration is invalid:\n${problems.map((p) => `  - ${p}`).join('\n')}\nSee .env.example for every variable.`,
    );
  }
}

/** Parses an environment; throws a ConfigError naming every bad variable (never echoing its value: tokens are secrets). */
export function parseConfig(env: Record<string, string | undefined>): Config {
  const result = configSchema.safeParse(env);
  const problems = [
    ...(result.success
      ? []
      : result.error.issues.map((issue) => `${String(issue.path[0] ?? 'environment')} ${issue.message}`)),
    ...crossFieldProblems(env),
  ];
  if (!result.success || problems.length > 0) throw new ConfigError([...new Set(problems)]);
  const c = result.data;
  return {
    slackBotToken: c.SLACK_BOT_TOKEN,
    slackMode: c.SLACK_MODE,
    slackAppToken: c.SLACK_APP_TOKEN,
    slackSigningSecret: c.SLACK_SIGNING_SECRET,
    port: c.PORT,
    slackApiUrl: c.SLACK_API_URL,
    databasePath: c.DATABASE_PATH,
    responders: c.RESPONDERS,
    reminderChannel: c.REMINDER_CHANNEL,
    rotationDays: c.ROTATION_DAYS,
    reminderOffsetsDays: c.REMINDER_OFFSETS_DAYS,
    revokeNudgeMinutes: c.REVOKE_NUDGE_MINUTES,
    displayTimeZone: c.DISPLAY_TIMEZONE,
    logLevel: c.LOG_LEVEL,
    signalsChannel: c.SIGNALS_CHANNEL,
    scanRepos: c.SCAN_REPOS,
    scanIntervalMinutes: c.SCAN_INTERVAL_MINUTES,
  };
}

/** Reads `.env` (without overriding real environment variables) and then process.env. */
export function loadConfig(dotenvPath?: string): Config {
  loadDotenv({ path: dotenvPath, quiet: true });
  return parseConfig(process.env);
}

const offlineVariables = variables.pick({
  DATABASE_PATH: true,
  DISPLAY_TIMEZONE: true,
  ROTATION_DAYS: true,
  REMINDER_OFFSETS_DAYS: true,
  REMINDER_CHANNEL: true,
  LOG_LEVEL: true,
  SIGNALS_CHANNEL: true,
});

/** What the CLI's offline commands (migrate, export, verify, keys, reminders, backup) need: no Slack tokens. */
export interface OfflineConfig {
  databasePath: string;
  displayTimeZone: string;
  rotationDays: number;
  reminderOffsetsDays: number[];
  reminderChannel: string | undefined;
  logLevel: Config['logLevel'];
  signalsChannel: string | undefined;
}

export function loadOfflineConfig(dotenvPath?: string): OfflineConfig {
  loadDotenv({ path: dotenvPath, quiet: true });
  const result = offlineVariables.safeParse(process.env);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((issue) => `${String(issue.path[0] ?? 'environment')} ${issue.message}`),
    );
  }
  const c = result.data;
  return {
    databasePath: c.DATABASE_PATH,
    displayTimeZone: c.DISPLAY_TIMEZONE,
    rotationDays: c.ROTATION_DAYS,
    reminderOffsetsDays: c.REMINDER_OFFSETS_DAYS,
    reminderChannel: c.REMINDER_CHANNEL,
    logLevel: c.LOG_LEVEL,
    signalsChannel: c.SIGNALS_CHANNEL,
  };
}
