import { createHmac } from 'node:crypto';
import { fetch } from 'undici';

// Sends requests the way Slack does in HTTP mode: signed with the app's signing secret
// (https://api.slack.com/authentication/verifying-requests-from-slack).

/** `v0=` + hex HMAC-SHA256 of `v0:<timestamp>:<raw body>`. */
export function slackSignature(signingSecret: string, timestamp: number, rawBody: string): string {
  return `v0=${createHmac('sha256', signingSecret).update(`v0:${timestamp}:${rawBody}`).digest('hex')}`;
}

export interface SignedPostOptions {
  signingSecret: string;
  contentType?: string;
  /** Unix seconds; defaults to now, because Bolt refuses requests older than five minutes by the real clock. */
  timestamp?: number;
  headers?: Record<string, string>;
  /** Sign with a wrong secret, as a forger without the secret would. */
  forgeSignature?: boolean;
}

export interface SignedPostResult {
  status: number;
  body: string;
  json?: unknown;
  elapsedMs: number;
}

export async function postSigned(url: string, rawBody: string, opts: SignedPostOptions): Promise<SignedPostResult> {
  const timestamp = opts.timestamp ?? Math.floor(Date.now() / 1000);
  const secret = opts.forgeSignature ? `forged-${opts.signingSecret}` : opts.signingSecret;
  const started = performance.now();
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': opts.contentType ?? 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': slackSignature(secret, timestamp, rawBody),
      ...opts.headers,
    },
    body: rawBody,
  });
  const body = await response.text();
  const elapsedMs = performance.now() - started;
  return { status: response.status, body, json: parseJson(body), elapsedMs };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
