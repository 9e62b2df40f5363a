import { describe, expect, it } from 'vitest';
import type { RefusalCatalog, RefusalCode } from '../../src/domain/refusal';
import { refusalText } from '../../src/slack/blocks/refusal-text';

const AT = Date.UTC(2026, 11, 2, 9, 30);

// One example per code, typed against the catalog: a code added without an example here does not compile.
const EXAMPLES: { [K in RefusalCode]: RefusalCatalog[K] } = {
  incident_resolved: { resolvedAt: AT, resolvedBy: 'U0ALICE' },
  step_already_done: { step: 'review', at: AT, by: 'U0ALICE' },
  step_out_of_order: { step: 'support', missing: 'revoke' },
  resolve_too_early: { missing: 'redeploy' },
  exposure_after_now: {},
  revocation_after_now: {},
  exposure_after_revocation: {},
  not_a_responder: { users: ['U0ALICE'], groups: ['S0SECURITY'] },
  responders_unknown: {},
  not_channel_member: { incident: 7 },
  lead_not_responder: { user: 'U0BOB', incident: 7 },
  label_is_secret_key: {},
  label_secret_prefix: {},
  label_empty: {},
  label_too_long: { max: 80 },
  label_invalid_chars: {},
  label_taken: { label: 'api-server-production-v2', environment: 'production', status: 'active' },
  invalid_last4: {},
  invalid_date: {},
  date_in_future: { date: '2027-01-15' },
  key_reused: {
    mode: 'live',
    last4: 'Q2xF',
    environment: 'production',
    matches: [{ environment: 'staging', label: 'api-server-staging-v1' }],
    lower: 'staging',
    higher: 'production',
  },
  invalid_offsets: { max: 3650 },
  key_not_found: { label: 'api-server-production-v9' },
  key_gone: { label: null },
  already_rotated: { label: 'api-server-production-v2', rotatedOn: '2026-11-30' },
  key_retired: { label: 'api-server-production-v2', status: 'compromised' },
  before_last_rotation: { label: 'api-server-production-v2' },
  snooze_after_rotation: { label: 'api-server-production-v2' },
  snooze_not_active: { label: 'api-server-production-v2', status: 'rotating' },
  already_snoozed: { label: 'api-server-production-v2', until: AT },
  rotation_in_progress: { label: 'api-server-production-v2', startedBy: 'U0ALICE', startedAt: AT },
  key_revoked: { label: 'api-server-production-v2' },
  key_compromised: { label: 'api-server-production-v2' },
  rotation_finished: { oldLabel: 'api-server-production-v2', status: 'done', revokedBy: 'bot', revokedAt: AT },
  rotation_step_already_done: { step: 'deploy', at: AT, by: 'U0ALICE', next: 'verify' },
  rotation_step_out_of_order: { step: 'revoke_old', missing: 'deploy' },
  new_label_required: {},
  new_label_unchanged: { oldLabel: 'api-server-production-v2' },
  new_label_taken: { label: 'api-server-production-v3', environment: 'production', status: 'active' },
  wrong_key: { label: 'api-server-production-v2' },
  rotation_not_done: { label: 'api-server-production-v2' },
};

describe('refusalText', () => {
  it.each(Object.entries(EXAMPLES))('draws %s as a finished sentence from its params alone', (code, params) => {
    const text = refusalText({ ok: false, code, params } as Parameters<typeof refusalText>[0]);
    expect(text).toMatch(/^[\w`<"].*[.)`]$/s);
    expect(text).not.toMatch(/undefined|null|\[object|NaN/);
  });

  it('names the facts the params carry, and the seed reason where there is one', () => {
    const say = <K extends RefusalCode>(code: K) =>
      refusalText({ ok: false, code, params: EXAMPLES[code] } as Parameters<typeof refusalText>[0]);
    expect(say('step_out_of_order')).toContain('step 1 (revoke) comes before step 3 (support contact)');
    expect(say('step_out_of_order')).toContain('every minute it stays active');
    expect(say('rotation_step_out_of_order')).toContain('risks an outage');
    expect(say('not_a_responder')).toContain('<@U0ALICE>, <!subteam^S0SECURITY>');
    expect(say('rotation_in_progress')).toContain('started by <@U0ALICE> at 2026-12-02 09:30 UTC');
    expect(say('rotation_finished')).toContain('recorded by the bot');
    expect(say('key_reused')).toContain('a staging breach would become a production incident');
    expect(say('lead_not_responder')).toContain('cannot lead INC-7');
    expect(say('key_gone')).toBe('That key is no longer in the register.');
  });
});
