import { describe, expect, it } from 'vitest';
import { inferEnvironment, parseEnvironment } from '../../../src/domain/keys/environment';

describe('parseEnvironment', () => {
  it.each([
    ['production', 'production'],
    ['prod', 'production'],
    ['PROD', 'production'],
    ['Production', 'production'],
    ['staging', 'staging'],
    ['stage', 'staging'],
    ['development', 'development'],
    ['dev', 'development'],
    ['local', 'development'],
    [' Local ', 'development'],
  ])('reads %j as %s', (text, environment) => {
    expect(parseEnvironment(text)).toBe(environment);
  });

  it.each(['', 'qa', 'live', 'test', 'prd', 'constructor', 'toString'])('refuses %j', (text) => {
    expect(parseEnvironment(text)).toBeNull();
  });
});

describe('inferEnvironment', () => {
  it.each([
    ['api-server-production-v2', 'production'],
    ['checkout-prod', 'production'],
    ['worker_staging_v1', 'staging'],
    ['stage.payments', 'staging'],
    ['alice-local', 'development'],
    ['api-dev-v3', 'development'],
    ['API-SERVER-PRODUCTION', 'production'],
  ])('finds the environment in %j', (label, environment) => {
    expect(inferEnvironment(label)).toBe(environment);
  });

  it('finds none when the label names none, or only inside longer words', () => {
    expect(inferEnvironment('api-server-v2')).toBeNull();
    expect(inferEnvironment('devices-api')).toBeNull();
    expect(inferEnvironment('producer-v1')).toBeNull();
  });

  it('refuses to guess when the label names two environments', () => {
    expect(inferEnvironment('staging-to-prod-sync')).toBeNull();
  });

  it('accepts two aliases of the same environment', () => {
    expect(inferEnvironment('prod-production-mirror')).toBe('production');
  });
});
