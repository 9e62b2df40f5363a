import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../src/config';

const valid = { SLACK_BOT_TOKEN: 'xoxb-1-2-fake', SLACK_APP_TOKEN: 'xapp-1-fake' };

function problemsOf(env: Record<string, string>): string[] {
  try {
    parseConfig({ ...valid, ...env });
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('room, status and drill configuration', () => {
  it('defaults to incidents living where they are declared, nothing announced, nothing archived', () => {
    expect(parseConfig(valid)).toMatchObject({
      incidentChannel: 'here',
      securityGroup: undefined,
      statusChannel: undefined,
      statusPrivate: false,
      archiveOnResolve: false,
    });
  });

  it('reads every value people write', () => {
    expect(
      parseConfig({
        ...valid,
        INCIDENT_CHANNEL: 'private',
        SECURITY_GROUP: 'S0SECURITY1',
        STATUS_CHANNEL: 'C0STATUS001',
        STATUS_PRIVATE: 'TRUE',
        ARCHIVE_ON_RESOLVE: '1',
      }),
    ).toMatchObject({
      incidentChannel: 'private',
      securityGroup: 'S0SECURITY1',
      statusChannel: 'C0STATUS001',
      statusPrivate: true,
      archiveOnResolve: true,
    });
  });

  it('names each bad value at once', () => {
    expect(
      problemsOf({
        INCIDENT_CHANNEL: 'elsewhere',
        SECURITY_GROUP: 'U0NOTAGROUP',
        STATUS_CHANNEL: '#status',
        STATUS_PRIVATE: 'maybe',
        ARCHIVE_ON_RESOLVE: 'sometimes',
      }),
    ).toEqual([
      'INCIDENT_CHANNEL must be here, new or private',
      'SECURITY_GROUP must be a user-group id such as S0123456789',
      'STATUS_CHANNEL must be a channel id such as C0123456789',
      'STATUS_PRIVATE must be true or false',
      'ARCHIVE_ON_RESOLVE must be true or false',
    ]);
  });
});
