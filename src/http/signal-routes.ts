import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Clock } from '../app/clock';
import type { Logger } from '../app/logger';
import type { IntakeResult, SignalService } from '../app/signal-service';
import type { HealthRoute } from '../boot/health-route';
import { type DetectedKey, findSecretKeys, maskKey } from '../domain/key-detector';
import { readBody } from './read-body';
import { bearerMatches, checkGrafanaHmac, type HmacSettings } from './signal-auth';
import { type Parsed, parseAlerts, parseCounts } from './signal-payloads';

export const SIGNAL_PATHS = { alertmanager: '/signals/alertmanager', rateLimits: '/signals/rate-limits' } as const;

/** 256 KB: an Alertmanager group of a thousand alerts fits; anything larger is not a signal. */
export const MAX_SIGNAL_BODY_BYTES = 256 * 1024;

export interface SignalRouteOptions {
  token: string;
  hmac: HmacSettings | null;
  signals: SignalService;
  clock: Clock;
  logger: Logger;
  /** Runs the use-case in the next group commit: the 202 means "durable". */
  write<T>(work: () => T): Promise<T>;
  notify(): void;
}

type Answer = { status: number; body: Record<string, unknown> };

function send(res: ServerResponse, answer: Answer, close = false): void {
  res.writeHead(answer.status, {
    'content-type': 'application/json',
    ...(close ? { connection: 'close' } : {}),
  });
  res.end(JSON.stringify(answer.body));
}

/**
 * Every key in the body, also behind JSON escapes (`sk\u005flive\u005f…` reads as a key once parsed), so an
 * encoding cannot slip a key past the refusal.
 */
function keysIn(text: string, parsed: unknown): DetectedKey[] {
  const found = findSecretKeys(text);
  if (parsed !== undefined) found.push(...findSecretKeys(JSON.stringify(parsed)));
  return found.filter((key, index) => found.findIndex((other) => other.key === key.key) === index);
}

/** POST /signals/alertmanager and POST /signals/rate-limits, served beside /healthz in both modes. */
export function signalRoutes(options: SignalRouteOptions): HealthRoute[] {
  const route = <T>(
    path: string,
    parse: (body: unknown) => Parsed<T[]>,
    record: (items: T[]) => IntakeResult,
  ): HealthRoute => ({
    path,
    method: ['POST'],
    handler: (req, res) => {
      const started = performance.now();
      handle(req, res, path, parse, record)
        .catch((error: unknown) => {
          options.logger.error({ error, path }, 'signal intake failed');
          if (!res.headersSent) send(res, { status: 500, body: { error: 'internal', message: 'Try again.' } });
        })
        .finally(() => {
          options.logger.info(
            { type: 'signal_request', path, status: res.statusCode, ms: Math.round(performance.now() - started) },
            'signal request handled',
          );
        });
    },
  });

  async function handle<T>(
    req: IncomingMessage,
    res: ServerResponse,
    path: string,
    parse: (body: unknown) => Parsed<T[]>,
    record: (items: T[]) => IntakeResult,
  ): Promise<void> {
    // Who is asking comes before reading anything: an unauthenticated body is never read, let alone stored.
    if (!bearerMatches(req.headers.authorization, options.token)) {
      return send(
        res,
        { status: 401, body: { error: 'unauthorized', message: 'Send Authorization: Bearer <SIGNALS_TOKEN>.' } },
        true,
      );
    }
    const read = await readBody(req, MAX_SIGNAL_BODY_BYTES);
    if (!read.ok) {
      if (read.reason === 'aborted') return;
      return send(
        res,
        {
          status: 413,
          body: {
            error: 'too_large',
            message: `The body is over ${MAX_SIGNAL_BODY_BYTES / 1024} KB: send fewer items per request.`,
          },
        },
        true,
      );
    }
    if (options.hmac) {
      const check = checkGrafanaHmac(options.hmac, req.headers, read.text, options.clock().getTime());
      if (!check.ok) {
        return send(res, {
          status: 401,
          body: { error: 'bad_signature', message: `HMAC check failed: ${check.problem}.` },
        });
      }
    }
    let json: unknown;
    let isJson = true;
    try {
      json = JSON.parse(read.text);
    } catch {
      isJson = false;
    }
    const keys = keysIn(read.text, isJson ? json : undefined);
    if (keys.length > 0) {
      const warned = await options.write(() => options.signals.refuseSecretKeys(keys, path));
      options.notify();
      const masks = keys.map((key) => maskKey(key)).join(', ');
      return send(res, {
        status: 422,
        body: {
          error: 'secret_key_in_body',
          message:
            `The body holds a PayKore secret key (${masks}). Refused: nothing of it was stored. ` +
            'Treat the key as compromised and revoke it now; name keys by their register label (paykore_key).' +
            (warned.warned ? ' A warning was posted in Slack.' : ''),
        },
      });
    }
    if (!isJson) {
      return send(res, {
        status: 400,
        body: { error: 'invalid_json', field: '(body)', message: 'The body is not JSON.' },
      });
    }
    const parsed = parse(json);
    if (!parsed.ok) {
      return send(res, {
        status: 400,
        body: { error: 'invalid_field', field: parsed.path, message: `${parsed.path} ${parsed.problem}` },
      });
    }
    const result = await options.write(() => record(parsed.value));
    options.notify();
    send(res, { status: 202, body: { status: 'accepted', ...result } });
  }

  return [
    route(SIGNAL_PATHS.alertmanager, parseAlerts, (items) => options.signals.recordAlerts(items)),
    route(SIGNAL_PATHS.rateLimits, parseCounts, (items) => options.signals.recordCounts(items)),
  ];
}
