import { expect, it } from 'vitest';
import type { Leak, LeakNotice, LeakSighting } from '../../src/domain/leak';
import type { Incident } from '../../src/domain/types';
import {
  leakWarning,
  secretFieldError,
  typedKeyInFormNotice,
  typedKeyRefusal,
} from '../../src/slack/blocks/leak-messages';
import { checkBlocks } from '../support/conformance';
import { describeConformance } from '../support/specs';

const T0 = Date.UTC(2026, 10, 28, 9);

const leak = (id: number, last4 = '7Q2x'): Leak => ({
  id,
  mode: 'live',
  last4,
  firstChannelId: 'C0CHAN0001',
  firstMessageTs: '1795856400.000100',
  firstPoster: 'U0POSTER01',
  firstSeenAt: T0,
  firstExposedAt: T0 - 1000,
  incidentId: null,
});
const sighting = (notice: LeakNotice): LeakSighting => ({
  id: 1,
  leakId: 1,
  source: 'message',
  notice,
  channelId: 'C0CHAN0001',
  messageTs: '1795856400.000100',
  threadTs: '1795856400.000100',
  poster: 'U0POSTER01',
  seenAt: T0,
  exposedAt: T0 - 1000,
});
const incident = (status: 'open' | 'resolved'): Incident => ({
  id: 4,
  channelId: 'C0CHAN0001',
  keyLabel: 'leaked-sk_live_\u20267Q2x',
  environment: 'production',
  keyMode: 'live',
  severity: 'SEV1',
  how: '',
  openedBy: 'U0A',
  openedAt: T0,
  exposureStart: T0 - 1000,
  status,
  resolution: status === 'resolved' ? 'revoked' : null,
  resolvedAt: status === 'resolved' ? T0 + 60_000 : null,
  resolvedBy: status === 'resolved' ? 'U0A' : null,
  summary: '',
  cardTs: '1.0',
  steps: {},
});

const buttonValues = (blocks: unknown) => [...JSON.stringify(blocks).matchAll(/"value":"([^"]+)"/g)].map((m) => m[1]);

describeConformance('leak messages against the Block Kit schema', () => {
  it('draws valid warnings, refusals and notices', () => {
    for (const message of [
      leakWarning(leak(1), sighting('first'), null),
      leakWarning(leak(1), sighting('again'), incident('open')),
      leakWarning(leak(1), sighting('reexposed'), incident('resolved')),
      typedKeyRefusal([leak(1), leak(2, 'abcd')]),
      typedKeyInFormNotice([leak(1)]),
    ]) {
      expect(checkBlocks(message.blocks)).toEqual([]);
      expect(message.text.length).toBeGreaterThan(0);
    }
  });
});

it('tells the first warning to revoke now and delete the message, with a button naming the leak, not the key', () => {
  const warning = leakWarning(leak(1), sighting('first'), null);
  expect(warning.text).toContain('`sk_live_\u20267Q2x`');
  expect(warning.text).toContain('Treat it as compromised: revoke it now');
  expect(warning.text).toContain('then delete this message (history keeps it');
  expect(buttonValues(warning.blocks)).toEqual(['LEAK-1']);
});

it('offers no button while an incident is open for the key, and a new one after it was resolved', () => {
  expect(buttonValues(leakWarning(leak(1), sighting('again'), incident('open')).blocks)).toEqual([]);
  const reexposed = leakWarning(leak(1), sighting('reexposed'), incident('resolved'));
  expect(reexposed.text).toContain('New exposure of a known key');
  expect(reexposed.text).toContain('INC-4 was resolved as `revoked`');
  expect(buttonValues(reexposed.blocks)).toEqual(['LEAK-1']);
});

it('offers one incident per refusal, naming every key by its mask', () => {
  const refusal = typedKeyRefusal([leak(1), leak(2, 'abcd')]);
  expect(refusal.text).toContain('`sk_live_\u20267Q2x`, `sk_live_\u2026abcd`');
  expect(refusal.text).toContain('now exposed in Slack');
  expect(buttonValues(refusal.blocks)).toEqual(['LEAK-1']);
});

it('keeps the field error short enough for Slack', () => {
  const error = secretFieldError(['sk_live_\u20267Q2x', 'sk_test_\u2026abcd']);
  expect(error.length).toBeLessThanOrEqual(150);
  expect(error).toContain('sk_live_\u20267Q2x');
});
