import { describe, expect, it } from 'vitest';
import { messageEnvelopeSchema, postedMessage, slackTsToMs } from '../../src/slack/listeners/events/message-event';

const self = { botId: 'B0BOT0001', botUserId: 'U0BOT0001' };
const envelope = (event: Record<string, unknown>) =>
  messageEnvelopeSchema.parse({ event_id: 'Ev1', event: { type: 'message', channel: 'C0CHAN0001', ...event } });

describe('postedMessage', () => {
  it('reads a person’s message, replying in its thread (or starting one under it)', () => {
    expect(postedMessage(envelope({ user: 'U0A', text: 'hi', ts: '1795856400.000100' }), self)).toEqual({
      channelId: 'C0CHAN0001',
      ts: '1795856400.000100',
      threadTs: '1795856400.000100',
      poster: 'U0A',
      visibleAt: 1795856400000,
      text: 'hi',
      files: [],
    });
    const reply = postedMessage(envelope({ user: 'U0A', text: 'x', ts: '2.000100', thread_ts: '1.000100' }), self);
    expect(reply?.threadTs).toBe('1.000100');
  });

  it('reads an edit as the message now, visible from the edit time', () => {
    const edit = envelope({
      subtype: 'message_changed',
      ts: '9.000000',
      message: { user: 'U0A', text: 'new', ts: '1.000100', edited: { ts: '5.250000' } },
    });
    expect(postedMessage(edit, self)).toMatchObject({ ts: '1.000100', text: 'new', visibleAt: 5250 });
  });

  it("ignores the bot's own messages and edits, and subtypes that show nothing new", () => {
    expect(postedMessage(envelope({ user: 'U0BOT0001', text: 'x', ts: '1.0' }), self)).toBeNull();
    expect(
      postedMessage(envelope({ subtype: 'bot_message', bot_id: 'B0BOT0001', text: 'x', ts: '1.0' }), self),
    ).toBeNull();
    const ownEdit = envelope({
      subtype: 'message_changed',
      ts: '2.0',
      message: { bot_id: 'B0BOT0001', text: 'x', ts: '1.0' },
    });
    expect(postedMessage(ownEdit, self)).toBeNull();
    expect(postedMessage(envelope({ subtype: 'message_deleted', ts: '2.0' }), self)).toBeNull();
    expect(
      postedMessage(envelope({ subtype: 'channel_join', user: 'U0A', text: 'joined', ts: '2.0' }), self),
    ).toBeNull();
  });

  it('reads other bots, and the text inside attachments and blocks', () => {
    const posted = postedMessage(
      envelope({
        subtype: 'bot_message',
        bot_id: 'B0CI00001',
        text: 'build log',
        ts: '1.0',
        attachments: [{ fields: [{ title: 'env', value: 'A=1' }] }],
        blocks: [
          { type: 'rich_text', elements: [{ type: 'rich_text_section', elements: [{ type: 'text', text: 'B=2' }] }] },
        ],
      }),
      self,
    );
    expect(posted?.poster).toBe('B0CI00001');
    expect(posted?.text).toContain('A=1');
    expect(posted?.text).toContain('B=2');
  });
});

describe('messageEnvelopeSchema', () => {
  it('refuses an event without a channel id or with a malformed ts', () => {
    expect(messageEnvelopeSchema.safeParse({ event_id: 'Ev1', event: { type: 'message', ts: '1.0' } }).success).toBe(
      false,
    );
    expect(
      messageEnvelopeSchema.safeParse({ event_id: 'Ev1', event: { type: 'message', channel: 'C0CHAN0001', ts: 'now' } })
        .success,
    ).toBe(false);
  });
});

it('turns a Slack ts into epoch milliseconds without rounding errors', () => {
  expect(slackTsToMs('1795856400.000100')).toBe(1795856400000);
  expect(slackTsToMs('1795856400.999999')).toBe(1795856400999);
  expect(slackTsToMs('1795856400')).toBe(1795856400000);
});
