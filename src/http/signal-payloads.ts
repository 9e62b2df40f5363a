import { z } from 'zod';
import { isLast4, type KeyReference } from '../domain/signals/spike';

// The two bodies /signals/* accept, parsed with zod: a bad field is answered with its path, nothing is stored.

const MAX_ITEMS = 1000;
const instant = z.iso.datetime({ offset: true, error: 'must be an ISO-8601 time such as 2026-11-28T09:00:00Z' });
const label = z
  .string({ error: 'must be the key label from the register' })
  .min(1, 'must be the key label from the register')
  .max(80, 'is longer than a key label (80 characters)')
  .regex(/^[A-Za-z0-9._-]+$/, 'must be a key label such as api-server-production (letters, digits, . _ -)');

const countSchema = z
  .object({
    key: label,
    // ISO-8601, or epoch milliseconds (what Datadog's $DATE gives a webhook template).
    at: z.union([instant, z.number().int().min(0).max(8.64e15)], {
      error: 'must be an ISO-8601 time such as 2026-11-28T09:00:00Z (or epoch milliseconds)',
    }),
    count: z.number({ error: 'must be the number of 429 responses' }).int('must be a whole number').min(0).max(1e9),
    total: z
      .number({ error: 'must be a number of requests' })
      .int('must be a whole number')
      .min(0)
      .max(1e12)
      .optional(),
    windowSeconds: z
      .number({ error: 'must be a number of seconds' })
      .int('must be a whole number of seconds')
      .min(1)
      .max(86_400)
      .default(60),
  })
  .refine((c) => c.total === undefined || c.total >= c.count, {
    message: 'must be at least count (429s are among the requests)',
    path: ['total'],
  });

export const countsBodySchema = z.union([countSchema, z.array(countSchema).min(1).max(MAX_ITEMS)]);

export interface CountInput {
  key: string;
  at: number;
  count: number;
  total: number | null;
  windowSeconds: number;
}

const stringMap = z.record(z.string(), z.string());

const alertSchema = z.object({
  status: z.enum(['firing', 'resolved'], { error: 'must be firing or resolved' }),
  labels: stringMap,
  annotations: stringMap.default({}),
  startsAt: instant,
  endsAt: z.string().optional(),
  fingerprint: z
    .string({ error: 'is required: it tells one alert from another' })
    .min(1, 'is required: it tells one alert from another')
    .max(128),
  // Grafana only: the query values that made the rule fire.
  values: z.record(z.string(), z.number().nullable()).nullish(),
});

export const alertBodySchema = z.object({
  status: z.enum(['firing', 'resolved'], { error: 'must be firing or resolved' }),
  alerts: z.array(alertSchema, { error: 'must be the list of alerts' }).min(1).max(MAX_ITEMS),
  // Grafana adds orgId (and title, state, message …) to Alertmanager's shape; it tells the two apart.
  orgId: z.number().optional(),
});

export interface AlertInput {
  source: 'alertmanager' | 'grafana';
  status: 'firing' | 'resolved';
  key: KeyReference;
  fingerprint: string;
  startsAt: number;
  /** When a resolved alert ended; Alertmanager sends year 1 while an alert fires. */
  endsAt: number | null;
  alertName: string | null;
  summary: string;
  value: number | null;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; path: string; problem: string };

/** `alerts[0].labels.paykore_key`: the path as a person reads it. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out === '' ? '(body)' : out;
}

function firstIssue(error: z.ZodError): { path: string; problem: string } {
  // A union reports "no option matched": its branches say which field was wrong, so the deepest issue is used.
  const issues = error.issues.flatMap((issue) =>
    issue.code === 'invalid_union' && 'errors' in issue
      ? (issue.errors as z.core.$ZodIssue[][]).flat().map((inner) => ({
          ...inner,
          path: [...issue.path, ...inner.path],
        }))
      : [issue],
  );
  const issue = [...issues].sort((a, b) => b.path.length - a.path.length)[0] ?? error.issues[0]!;
  return { path: formatPath(issue.path), problem: issue.message };
}

export function parseCounts(body: unknown): Parsed<CountInput[]> {
  const parsed = countsBodySchema.safeParse(body);
  if (!parsed.success) return { ok: false, ...firstIssue(parsed.error) };
  const list = Array.isArray(parsed.data) ? parsed.data : [parsed.data];
  return {
    ok: true,
    value: list.map((c) => ({
      key: c.key,
      at: typeof c.at === 'number' ? c.at : Date.parse(c.at),
      count: c.count,
      total: c.total ?? null,
      windowSeconds: c.windowSeconds,
    })),
  };
}

function alertValue(alert: z.infer<typeof alertSchema>): number | null {
  for (const value of Object.values(alert.values ?? {})) if (typeof value === 'number') return value;
  for (const name of ['count', 'value']) {
    const text = alert.annotations[name];
    if (text !== undefined && /^\d+(\.\d+)?$/.test(text.trim())) return Number(text);
  }
  return null;
}

export function parseAlerts(body: unknown): Parsed<AlertInput[]> {
  const parsed = alertBodySchema.safeParse(body);
  if (!parsed.success) return { ok: false, ...firstIssue(parsed.error) };
  const source = parsed.data.orgId === undefined ? 'alertmanager' : 'grafana';
  const out: AlertInput[] = [];
  for (const [index, alert] of parsed.data.alerts.entries()) {
    const at = (field: string) => `alerts[${index}].labels.${field}`;
    let key: KeyReference;
    const named = alert.labels.paykore_key;
    if (named !== undefined) {
      const checked = label.safeParse(named);
      if (!checked.success) return { ok: false, path: at('paykore_key'), problem: checked.error.issues[0]!.message };
      key = { label: checked.data };
    } else if (alert.labels.paykore_key_last4 !== undefined) {
      const last4 = alert.labels.paykore_key_last4;
      const mode = alert.labels.paykore_key_mode;
      if (!isLast4(last4))
        return { ok: false, path: at('paykore_key_last4'), problem: 'must be four letters or digits' };
      if (mode !== 'live' && mode !== 'test')
        return { ok: false, path: at('paykore_key_mode'), problem: 'must be live or test beside paykore_key_last4' };
      key = { mode, last4 };
    } else {
      return {
        ok: false,
        path: at('paykore_key'),
        problem: 'is required: name the key by its register label (or paykore_key_last4 with paykore_key_mode)',
      };
    }
    const endsAt = alert.endsAt ? Date.parse(alert.endsAt) : Number.NaN;
    out.push({
      source,
      status: alert.status,
      key,
      fingerprint: alert.fingerprint,
      startsAt: Date.parse(alert.startsAt),
      // Year 1 (Alertmanager's "not ended") and anything unparseable read as "not known".
      endsAt: Number.isFinite(endsAt) && endsAt > 0 ? endsAt : null,
      alertName: alert.labels.alertname ?? null,
      summary: (alert.annotations.summary ?? alert.annotations.description ?? '').slice(0, 500),
      value: alertValue(alert),
    });
  }
  return { ok: true, value: out };
}
