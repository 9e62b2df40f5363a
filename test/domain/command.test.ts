import { describe, expect, it } from 'vitest';
import { parseChannelRef, parseCommand, parseUserRef } from '../../src/domain/command';

describe('the /paykore-incident grammar', () => {
  it('opens the declare form for an empty command', () => {
    expect(parseCommand('   ')).toEqual({ kind: 'declare' });
  });

  it('reads start with every option, how= running to the end of the line', () => {
    expect(
      parseCommand(
        'start api-server-production-v2 env=prod exposed=2026-11-28T08:15 how=pasted in #general, by mistake',
      ),
    ).toEqual({
      kind: 'start',
      keyLabel: 'api-server-production-v2',
      environment: 'production',
      exposureStart: Date.UTC(2026, 10, 28, 8, 15),
      revokedAt: null,
      how: 'pasted in #general, by mistake',
    });
  });

  it('accepts quoted times with spaces and curly quotes', () => {
    const command = parseCommand('start k1 env=stage exposed=\u201C2026-11-28 08:15 +01:00\u201D');
    expect(command).toMatchObject({
      kind: 'start',
      environment: 'staging',
      exposureStart: Date.UTC(2026, 10, 28, 7, 15),
    });
  });

  it('refuses an unreadable time, an unknown environment and unknown options, naming what to type', () => {
    expect(parseCommand('start k1 exposed=last-tuesday')).toMatchObject({
      kind: 'invalid',
      problem: expect.stringContaining('ISO-8601'),
    });
    expect(parseCommand('start k1 env=qa')).toMatchObject({
      kind: 'invalid',
      problem: expect.stringContaining('production, staging or development'),
    });
    expect(parseCommand('start k1 colour=red')).toMatchObject({
      kind: 'invalid',
      problem: expect.stringContaining('`colour=`'),
    });
    expect(parseCommand('start')).toMatchObject({
      kind: 'invalid',
      usage: expect.stringContaining('start <key-label>'),
    });
    expect(parseCommand('start two words')).toMatchObject({ kind: 'invalid' });
  });

  it('reads status, note and export with and without an incident id', () => {
    expect(parseCommand('status')).toEqual({ kind: 'status', incidentId: null });
    expect(parseCommand('status inc-12')).toEqual({ kind: 'status', incidentId: 12 });
    expect(parseCommand('note INC-3 rotated staging too')).toEqual({
      kind: 'note',
      incidentId: 3,
      text: 'rotated staging too',
    });
    expect(parseCommand('note rotated staging too')).toEqual({
      kind: 'note',
      incidentId: null,
      text: 'rotated staging too',
    });
    expect(parseCommand('export INC-3 format=csv')).toEqual({ kind: 'export', incidentId: 3, format: 'csv' });
    expect(parseCommand('export')).toEqual({ kind: 'export', incidentId: null, format: 'markdown' });
    expect(parseCommand('export format=pdf')).toMatchObject({ kind: 'invalid' });
  });

  it('reads the key register subcommands, with escaped mentions and channels', () => {
    expect(parseCommand('keys')).toEqual({ kind: 'keys-list' });
    expect(
      parseCommand(
        'keys add api-prod env=production rotated=2026-09-01 owner=<@U0DANA001|dana> channel=<#C0PAY0001|payments>',
      ),
    ).toEqual({
      kind: 'keys-add',
      label: 'api-prod',
      environment: 'production',
      rotated: '2026-09-01',
      ownerId: 'U0DANA001',
      channelId: 'C0PAY0001',
    });
    expect(parseCommand('keys add api-prod')).toMatchObject({
      kind: 'invalid',
      problem: expect.stringContaining('env='),
    });
    expect(parseCommand('keys rotated api-prod on=2026-11-01')).toEqual({
      kind: 'keys-rotated',
      label: 'api-prod',
      on: '2026-11-01',
    });
    expect(parseCommand('rotate api-prod')).toEqual({ kind: 'rotate', label: 'api-prod' });
  });

  it('answers unknown words with help, naming the word', () => {
    expect(parseCommand('HELP')).toEqual({ kind: 'help', unknown: null });
    expect(parseCommand('launch missiles')).toEqual({ kind: 'help', unknown: 'launch' });
  });

  it('parses mention and channel forms', () => {
    expect(parseUserRef('<@U123ABC|dana>')).toBe('U123ABC');
    expect(parseUserRef('U123ABC')).toBe('U123ABC');
    expect(parseUserRef('dana')).toBeNull();
    expect(parseChannelRef('<#C0123|general>')).toBe('C0123');
    expect(parseChannelRef('#C0123')).toBe('C0123');
  });
});
