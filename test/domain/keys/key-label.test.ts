import { describe, expect, it } from 'vitest';
import { bumpLabelVersion, validateKeyLabel } from '../../../src/domain/keys/key-label';
import { refusalText } from '../../../src/slack/blocks/refusal-text';

const fakeSecret = (prefix: string) => [prefix, 'FAKE'.repeat(7)].join('_');

describe('bumpLabelVersion', () => {
  it.each([
    ['api-server-production-v2', 'api-server-production-v3'],
    ['api-server-production-v9', 'api-server-production-v10'],
    ['api-server-production', 'api-server-production-v2'],
    ['worker_staging_v4', 'worker_staging_v5'],
    ['checkout.V1', 'checkout.V2'],
    ['reports-v09', 'reports-v10'],
    ['service-v2-beta', 'service-v2-beta-v2'],
    ['kv2', 'kv2-v2'],
  ])('%s becomes %s', (label, next) => {
    expect(bumpLabelVersion(label)).toBe(next);
  });
});

describe('validateKeyLabel', () => {
  it('accepts letters, digits, dash, underscore and dot, trimmed', () => {
    expect(validateKeyLabel(' api-server_production.v2 ')).toEqual({ ok: true, label: 'api-server_production.v2' });
    expect(validateKeyLabel('a'.repeat(80))).toMatchObject({ ok: true });
  });

  it.each([
    ['', 'label_empty'],
    ['   ', 'label_empty'],
    ['a'.repeat(81), 'label_too_long'],
    ['api server', 'label_invalid_chars'],
    ['api/server', 'label_invalid_chars'],
    ['<@U123>', 'label_invalid_chars'],
    ['sk_live_migration', 'label_secret_prefix'],
    ['rk_test_x', 'label_secret_prefix'],
  ])('refuses %j (%s)', (label, code) => {
    expect(validateKeyLabel(label)).toMatchObject({ ok: false, code });
  });

  it.each(['sk_live', 'sk_test', 'rk_live'])('refuses a pasted %s key as exposed, without repeating it', (prefix) => {
    const key = fakeSecret(prefix);
    for (const text of [key, `prod-${key}`, `${key} ${'x'.repeat(100)}`]) {
      const result = validateKeyLabel(text);
      expect(result).toMatchObject({ ok: false, code: 'label_is_secret_key' });
      expect(!result.ok && refusalText(result)).toContain('revoked');
      expect(!result.ok && refusalText(result)).not.toContain('FAKE');
    }
  });

  it('accepts publishable-looking labels: pk_ keys are not secrets', () => {
    expect(validateKeyLabel('pk_live_mobile')).toMatchObject({ ok: true });
  });
});
