import { describe, expect, it } from 'vitest';
import { parseCommand } from '../../src/domain/command';

describe('keys add: last4= and mode=', () => {
  it('reads the last four characters and the mode, so reuse across environments can be recognised', () => {
    expect(parseCommand('keys add api-staging env=stage last4=Q2xF mode=LIVE')).toEqual({
      kind: 'keys-add',
      label: 'api-staging',
      environment: 'staging',
      rotated: null,
      ownerId: null,
      channelId: null,
      last4: 'Q2xF',
      mode: 'live',
    });
  });

  it('refuses more than four characters of a key without repeating them', () => {
    const fake = `sk_live_${'FAKE'.repeat(7)}`;
    const command = parseCommand(`keys add api-staging env=staging last4=${fake}`);
    expect(command).toMatchObject({
      kind: 'invalid',
      problem: expect.stringContaining('only the last four characters'),
    });
    expect(JSON.stringify(command)).not.toContain('FAKEFAKE');
  });

  it('refuses a mode other than live or test', () => {
    expect(parseCommand('keys add api-staging env=staging mode=sandbox')).toMatchObject({
      kind: 'invalid',
      problem: '`mode=` is `live` or `test`.',
    });
  });
});
