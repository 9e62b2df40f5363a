import { describe, expect, it } from 'vitest';
import type { Logger } from '../../src/app/logger';
import { requestLog, summarizeRequest } from '../../src/log/request-log';
import { fakeSecretKey } from '../support/fake-keys';

function recordingLogger(lines: { level: string; fields: object; message?: string }[]): Logger {
  const logger: Logger = {
    debug: (fields, message) => lines.push({ level: 'debug', fields, message }),
    info: (fields, message) => lines.push({ level: 'info', fields, message }),
    warn: (fields, message) => lines.push({ level: 'warn', fields, message }),
    error: (fields, message) => lines.push({ level: 'error', fields, message }),
    child: () => logger,
    isLevelEnabled: () => true,
  };
  return logger;
}

describe('summarizeRequest', () => {
  it('names a command by its subcommand word and never by the rest of its text', () => {
    const key = fakeSecretKey();
    const summary = summarizeRequest({
      command: '/paykore-incident',
      text: `note INC-1 the key was ${key}`,
      user_id: 'U0RESP0001',
      channel_id: 'C0INCIDENT1',
    });
    expect(summary).toEqual({
      request: 'command',
      id: '/paykore-incident note',
      user: 'U0RESP0001',
      channel: 'C0INCIDENT1',
    });
    expect(summarizeRequest({ command: '/paykore-incident', text: `${key} env=prod` }).id).toBe(
      '/paykore-incident (text)',
    );
    expect(summarizeRequest({ command: '/paykore-incident', text: '' }).id).toBe('/paykore-incident');
  });

  it('names actions, views and events by the ids Slack or the bot chose', () => {
    expect(
      summarizeRequest({
        type: 'block_actions',
        user: { id: 'U0RESP0001' },
        actions: [{ action_id: 'incident_revoke', value: 'INC-1' }],
      }),
    ).toEqual({ request: 'action', id: 'incident_revoke', user: 'U0RESP0001', channel: undefined });
    expect(
      summarizeRequest({
        type: 'view_submission',
        user: { id: 'U0RESP0001' },
        view: { callback_id: 'incident_note_submit' },
      }),
    ).toMatchObject({ request: 'view', id: 'incident_note_submit' });
    expect(
      summarizeRequest({
        type: 'event_callback',
        event_id: 'Ev0001',
        event: { type: 'message', subtype: 'message_changed', channel: 'C0INCIDENT1' },
      }),
    ).toMatchObject({ request: 'event', id: 'message.message_changed', eventId: 'Ev0001', channel: 'C0INCIDENT1' });
  });

  it('keeps a request recognisable when one of its ids is malformed, and calls unknown shapes other', () => {
    expect(summarizeRequest({ command: '/paykore-incident', text: 'help', user_id: 'not an id' })).toMatchObject({
      request: 'command',
      user: undefined,
    });
    expect(summarizeRequest('ssl_check=1')).toEqual({ request: 'other', id: 'unknown' });
  });
});

describe('requestLog', () => {
  it('writes one line after the listeners, with the duration and outcome', async () => {
    const lines: { level: string; fields: object; message?: string }[] = [];
    let clock = 1000;
    const middleware = requestLog(recordingLogger(lines), () => clock);
    const body = { type: 'block_actions', user: { id: 'U0RESP0001' }, actions: [{ action_id: 'incident_revoke' }] };
    await middleware({
      body,
      context: {},
      next: async () => {
        clock += 42;
      },
    } as never);
    expect(lines).toEqual([
      {
        level: 'info',
        fields: expect.objectContaining({ request: 'action', id: 'incident_revoke', durationMs: 42, outcome: 'ok' }),
        message: 'handled action incident_revoke',
      },
    ]);
  });

  it('marks a request whose listener threw as an error, with its code, and lets the error through', async () => {
    const lines: { level: string; fields: object; message?: string }[] = [];
    const middleware = requestLog(recordingLogger(lines), () => 0);
    const failing = middleware({
      body: { type: 'event_callback', event: { type: 'app_home_opened', user: 'U0RESP0001' } },
      context: { retryNum: 1 },
      next: async () => {
        throw Object.assign(new Error('slack said no'), { code: 'slack_webapi_platform_error' });
      },
    } as never);
    await expect(failing).rejects.toThrow('slack said no');
    expect(lines).toEqual([
      {
        level: 'warn',
        fields: expect.objectContaining({ outcome: 'error', error: 'slack_webapi_platform_error', retryNum: 1 }),
        message: 'failed event app_home_opened',
      },
    ]);
  });
});
