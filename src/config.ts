import { readFileSync } from 'node:fs';
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

/** `true`/`false` (and `1`/`0`, `yes`/`no`), as people write them in a .env file. */
function booleanText(fallback: boolean) {
  return z
    .string()
    .transform((text) => text.trim().toLowerCase())
    .pipe(z.enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'must be true or false' }))
    .transform((text) => text === 'true' || text === '1' || text === 'yes')
    .default(fallback);
}
const httpHeader = z.string().regex(/^[A-Za-z0-9-]{1,100}$/, 'must be an HTTP header name');
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
  INCIDENT_CHANNEL: z.preprocess(
    emptyAsUndefined,
    z.enum(['here', 'new', 'private'], { error: 'must be here, new or private' }).default('here'),
  ),
  SECURITY_GROUP: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .regex(/^S[A-Z0-9]{2,}$/, 'must be a user-group id such as S0123456789')
      .optional(),
  ),
  STATUS_CHANNEL: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .regex(/^[CG][A-Z0-9]{2,}$/, 'must be a channel id such as C0123456789')
      .optional(),
  ),
  STATUS_PRIVATE: z.preprocess(emptyAsUndefined, booleanText(false)),
  ARCHIVE_ON_RESOLVE: z.preprocess(emptyAsUndefined, booleanText(false)),
  // The key of the record's keyed chain (decision 004): the key itself (32+ characters), or `file:<path>` to read
  // it from a secrets file. Never stored in the database, whose copy must not be able to rebuild the record.
  RECORD_KEY: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .optional()
      .transform((value, ctx) => {
        if (value === undefined) return null;
        let key = value;
        if (value.startsWith('file:')) {
          try {
            key = readFileSync(value.slice('file:'.length), 'utf8').trim();
          } catch {
            ctx.addIssue({ code: 'custom', message: 'names a file that cannot be read' });
            return z.NEVER;
          }
        }
        if (key.length < 32) {
          ctx.addIssue({ code: 'custom', message: 'must be at least 32 characters (e.g. openssl rand -hex 32)' });
          return z.NEVER;
        }
        return new Uint8Array(Buffer.from(key, 'utf8'));
      }),
  ),
  LOG_LEVEL: z.preprocess(
    emptyAsUndefined,
    z
      .enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal'], {
        error: 'must be one of trace, debug, info, warn, error, fatal',
      })
      .default('info'),
  ),
  // Rate-limit signals (PRODUCT.md section 11): off until SIGNALS_TOKEN is set.
  SIGNALS_TOKEN: z.preprocess(
    emptyAsUndefined,
    z.string().min(16, 'must be at least 16 characters (it is the only thing guarding /signals/*)').optional(),
  ),
  SIGNALS_HMAC_SECRET: z.preprocess(
    emptyAsUndefined,
    z.string().min(8, 'is too short to be an HMAC secret').optional(),
  ),
  SIGNALS_HMAC_HEADER: z.preprocess(emptyAsUndefined, httpHeader.default('X-Grafana-Alerting-Signature')),
  SIGNALS_HMAC_TIMESTAMP_HEADER: z.preprocess(emptyAsUndefined, httpHeader.default('X-Grafana-Alerting-Timestamp')),
  SIGNALS_FLOOR_PER_MINUTE: z.preprocess(emptyAsUndefined, positiveInt(20)),
  SIGNALS_MAD_MULTIPLIER: z.preprocess(
    emptyAsUndefined,
    z.coerce.number({ error: 'must be a number' }).positive('must be above zero').max(100).default(6),
  ),
  SIGNALS_HISTORY_WINDOWS: z.preprocess(
    emptyAsUndefined,
    positiveInt(60).pipe(z.number().min(5, 'must be at least 5 windows').max(10_000, 'must be at most 10000 windows')),
  ),
  SIGNALS_WARMUP_MINUTES: z.preprocess(
    emptyAsUndefined,
    z.coerce.number({ error: 'must be a whole number' }).int('must be a whole number').min(0).default(60),
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
  if (env.SIGNALS_TOKEN && !env.SIGNALS_CHANNEL && !env.REMINDER_CHANNEL)
    problems.push(
      'SIGNALS_TOKEN needs SIGNALS_CHANNEL (or REMINDER_CHANNEL): warnings for keys without a channel go there',
    );
  if (env.SIGNALS_HMAC_SECRET && !env.SIGNALS_TOKEN)
    problems.push('SIGNALS_HMAC_SECRET is set but SIGNALS_TOKEN is not: signals are off without the token');
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
  /** Where a new incident lives by default (section 13). */
  incidentChannel: 'here' | 'new' | 'private';
  securityGroup: string | undefined;
  statusChannel: string | undefined;
  statusPrivate: boolean;
  archiveOnResolve: boolean;
  /** RECORD_KEY: keys the event chain; null keeps the legacy SHA-256 chain. */
  recordKey: Uint8Array | null;
  /** Rate-limit signals; null when SIGNALS_TOKEN is not set (the intake is off). */
  signals: SignalsConfig | null;
  signalsChannel: string | undefined;
  scanRepos: string[];
  scanIntervalMinutes: number;
}

export interface SignalsConfig {
  token: string;
  hmacSecret: string | undefined;
  hmacHeader: string;
  hmacTimestampHeader: string;
  channel: string | undefined;
  floorPerMinute: number;
  madMultiplier: number;
  historyWindows: number;
  warmUpMinutes: number;
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
    incidentChannel: c.INCIDENT_CHANNEL,
    securityGroup: c.SECURITY_GROUP,
    statusChannel: c.STATUS_CHANNEL,
    statusPrivate: c.STATUS_PRIVATE,
    archiveOnResolve: c.ARCHIVE_ON_RESOLVE,
    recordKey: c.RECORD_KEY,
    signals: c.SIGNALS_TOKEN
      ? {
          token: c.SIGNALS_TOKEN,
          hmacSecret: c.SIGNALS_HMAC_SECRET,
          hmacHeader: c.SIGNALS_HMAC_HEADER,
          hmacTimestampHeader: c.SIGNALS_HMAC_TIMESTAMP_HEADER,
          channel: c.SIGNALS_CHANNEL,
          floorPerMinute: c.SIGNALS_FLOOR_PER_MINUTE,
          madMultiplier: c.SIGNALS_MAD_MULTIPLIER,
          historyWindows: c.SIGNALS_HISTORY_WINDOWS,
          warmUpMinutes: c.SIGNALS_WARMUP_MINUTES,
        }
      : null,
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
  RECORD_KEY: true,
  SIGNALS_CHANNEL: true,
  REVOKE_NUDGE_MINUTES: true,
});

/** What the CLI's offline commands (migrate, export, verify, keys, reminders, backup) need: no Slack tokens. */
export interface OfflineConfig {
  databasePath: string;
  displayTimeZone: string;
  rotationDays: number;
  reminderOffsetsDays: number[];
  reminderChannel: string | undefined;
  logLevel: Config['logLevel'];
  recordKey: Uint8Array | null;
  signalsChannel: string | undefined;
  revokeNudgeMinutes: number;
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
    recordKey: c.RECORD_KEY,
    signalsChannel: c.SIGNALS_CHANNEL,
    revokeNudgeMinutes: c.REVOKE_NUDGE_MINUTES,
  };
}

/**
 * Whether the test run has just built dist/ from these sources (test/support/build-dist.ts sets it): the export
 * worker then starts from the compiled bundle instead of booting tsx in every bot's worker.
 */
export function testDistBuilt(): boolean {
  return process.env.PAYKORE_TEST_DIST_BUILT === '1';
}
