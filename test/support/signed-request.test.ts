import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postSigned, slackSignature } from './signed-request';

// Slack's worked example from "Verifying requests from Slack" (quoted in shared/slack-specs/README.md).
const EXAMPLE_SECRET = '8f742231b10e8888abcd99yyyzzz85a5';
const EXAMPLE_TIMESTAMP = 1531420618;
const EXAMPLE_BODY =
  'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
const EXAMPLE_SIGNATURE = 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503';

describe('slackSignature', () => {
  it("reproduces Slack's published example", () => {
    expect(slackSignature(EXAMPLE_SECRET, EXAMPLE_TIMESTAMP, EXAMPLE_BODY)).toBe(EXAMPLE_SIGNATURE);
  });

  it('changes when a single byte of the body changes', () => {
    expect(slackSignature(EXAMPLE_SECRET, EXAMPLE_TIMESTAMP, `${EXAMPLE_BODY}x`)).not.toBe(EXAMPLE_SIGNATURE);
  });
});

describe('postSigned', () => {
  const SECRET = 'FAKE-signing-secret-for-tests';
  let server: Server;
  let url: string;
  let received: { headers: IncomingHttpHeaders; body: string }[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"response_action":"clear"}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('sends the raw body with a signature over the current timestamp', async () => {
    received = [];
    const before = Math.floor(Date.now() / 1000);
    const result = await postSigned(url, 'text=hello+world', { signingSecret: SECRET });
    const [request] = received;
    const timestamp = Number(request?.headers['x-slack-request-timestamp']);
    expect(timestamp).toBeGreaterThanOrEqual(before);
    expect(timestamp).toBeLessThanOrEqual(before + 5);
    expect(request?.body).toBe('text=hello+world');
    expect(request?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(request?.headers['x-slack-signature']).toBe(slackSignature(SECRET, timestamp, 'text=hello+world'));
    expect(result).toMatchObject({ status: 200, json: { response_action: 'clear' } });
    expect(result.elapsedMs).toBeGreaterThanOrEqual(0);
  });

  it('uses the given timestamp, content type and extra headers', async () => {
    received = [];
    await postSigned(url, '{"type":"event_callback"}', {
      signingSecret: SECRET,
      timestamp: 1_700_000_000,
      contentType: 'application/json',
      headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' },
    });
    const [request] = received;
    expect(request?.headers).toMatchObject({
      'x-slack-request-timestamp': '1700000000',
      'content-type': 'application/json',
      'x-slack-retry-num': '1',
      'x-slack-retry-reason': 'http_timeout',
      'x-slack-signature': slackSignature(SECRET, 1_700_000_000, '{"type":"event_callback"}'),
    });
  });

  it('forges a signature that does not verify with the real secret', async () => {
    received = [];
    await postSigned(url, 'text=x', { signingSecret: SECRET, timestamp: 1_700_000_000, forgeSignature: true });
    const signature = received[0]?.headers['x-slack-signature'];
    expect(signature).toMatch(/^v0=[0-9a-f]{64}$/);
    expect(signature).not.toBe(slackSignature(SECRET, 1_700_000_000, 'text=x'));
  });
});
