import { describe, expect, it } from 'vitest';
import { verifyChain } from '../../../src/domain/event-chain';
import { buildExportModel, renderExport, timelineDocument } from '../../../src/domain/timeline';
import { ENVIRONMENTS, EVENT_TYPES, RESOLUTIONS, SEVERITIES, type TimelineEvent } from '../../../src/domain/types';
import {
  exportInput,
  fullIncident,
  revokedBeforeOpened,
  unresolvedIncident,
} from '../../fixtures/timeline/build-incident';
import { timelineSchema, validateTimeline } from '../../fixtures/timeline/validate-timeline';

const jsonOf = (fixture: ReturnType<typeof fullIncident>, zone = 'America/New_York') =>
  renderExport(exportInput(fixture, zone), 'json').content;

describe('the JSON export', () => {
  it('validates against the schema for every kind of incident and zone', () => {
    for (const fixture of [fullIncident(), revokedBeforeOpened(), unresolvedIncident()]) {
      for (const zone of ['UTC', 'America/New_York', 'Asia/Kolkata']) {
        expect(validateTimeline(JSON.parse(jsonOf(fixture, zone)))).toEqual([]);
      }
    }
  });

  it('is exactly JSON.stringify of the document with 2-space indentation and a trailing newline', () => {
    const input = exportInput(fullIncident());
    const content = renderExport(input, 'json').content;
    expect(content).toBe(`${JSON.stringify(timelineDocument(buildExportModel(input)), null, 2)}\n`);
    expect(Object.keys(JSON.parse(content))).toEqual([
      'formatVersion',
      'displayTimeZone',
      'incident',
      'metrics',
      'events',
      'integrity',
    ]);
  });

  it('writes every incident time as ISO-8601 UTC with milliseconds, and nulls for what is not known yet', () => {
    const document = JSON.parse(jsonOf(unresolvedIncident(), 'UTC'));
    expect(document.incident).toMatchObject({
      id: 'INC-10',
      openedAt: '2026-03-10T09:00:00.000Z',
      exposureStart: null,
      status: 'open',
      resolution: null,
      resolvedAt: null,
      resolvedBy: null,
    });
    expect(document.metrics).toMatchObject({
      revokedAt: null,
      exposureStart: '2026-03-10T09:00:00.000Z',
      exposureStartKnown: false,
      timeToRevokeMs: null,
      exposureWindowMs: null,
      timeToResolveMs: null,
    });
  });

  it('gives events a local time only when the display zone is not UTC', () => {
    const utc = JSON.parse(jsonOf(fullIncident(), 'UTC'));
    expect(utc.displayTimeZone).toBe('UTC');
    expect(utc.events.some((event: object) => 'atLocal' in event)).toBe(false);
    const local = JSON.parse(jsonOf(fullIncident(), 'Asia/Kolkata'));
    expect(local.events[0].atLocal).toBe('2026-11-01T11:22:30.125+05:30');
  });

  it('reports a negative time to revoke for a key revoked before the incident was opened', () => {
    const document = JSON.parse(jsonOf(revokedBeforeOpened()));
    expect(document.metrics.timeToRevokeMs).toBe(-720_000);
    expect(document.metrics.exposureWindowMs).toBe(2_880_000);
    expect(document.metrics.steps.revoke).toEqual({
      completedAt: '2026-03-10T08:48:00.000Z',
      by: 'U0FAKEANA',
      offsetMs: -720_000,
    });
  });

  it('keeps the details exactly as hashed so the chain can be re-verified from the file', () => {
    const document = JSON.parse(jsonOf(fullIncident()));
    const { events } = fullIncident();
    expect(document.events.map((event: { details: unknown }) => event.details)).toEqual(
      events.map((event) => event.details),
    );
    expect(document.integrity.chainHead).toBe(document.events.at(-1).hash);
  });

  it('carries everything needed to re-verify the hash chain without the database', () => {
    const document = JSON.parse(jsonOf(fullIncident()));
    const events = document.events.map((event: Omit<TimelineEvent, 'stream' | 'at'> & { at: string }) => ({
      stream: document.incident.id,
      seq: event.seq,
      at: Date.parse(event.at),
      actor: event.actor,
      type: event.type,
      details: event.details,
      prevHash: event.prevHash,
      hash: event.hash,
    }));
    expect(verifyChain(document.incident.id, events)).toEqual({
      ok: true,
      count: 10,
      head: document.integrity.chainHead,
    });
  });
});

describe('docs/timeline.schema.json', () => {
  const properties = (timelineSchema as { properties: Record<string, { properties: Record<string, unknown> }> })
    .properties;
  const enumOf = (schema: unknown): unknown =>
    (schema as { enum?: unknown; anyOf?: { enum?: unknown }[] }).enum ??
    (schema as { anyOf: { enum?: unknown }[] }).anyOf.find((branch) => branch.enum)?.enum;

  it('lists the same enumerations as the domain types', () => {
    const incident = properties.incident?.properties ?? {};
    expect(enumOf(incident.environment)).toEqual([...ENVIRONMENTS]);
    expect(enumOf(incident.severity)).toEqual([...SEVERITIES]);
    expect(enumOf(incident.resolution)).toEqual([...RESOLUTIONS]);
    // One branch per event type (generated from domain/events/event-schemas.ts), in EVENT_TYPES order.
    const branches = (
      properties.events as unknown as { items: { oneOf: { properties: { type: { const: string } } }[] } }
    ).items.oneOf;
    expect(branches.map((branch) => branch.properties.type.const)).toEqual([...EVENT_TYPES]);
  });

  it('describes every property', () => {
    const missing: string[] = [];
    const walk = (schema: unknown, path: string) => {
      if (!schema || typeof schema !== 'object') return;
      const node = schema as Record<string, unknown>;
      for (const [name, child] of Object.entries((node.properties ?? {}) as Record<string, unknown>)) {
        if (!(child as { description?: string }).description) missing.push(`${path}.${name}`);
        walk(child, `${path}.${name}`);
      }
      walk(node.items, `${path}[]`);
      // Event branches: their own fields are described; `details` is described as a whole by its event schema.
      for (const branch of (node.oneOf ?? []) as Record<string, unknown>[]) {
        const fields = (branch.properties ?? {}) as Record<string, { description?: string }>;
        for (const [name, child] of Object.entries(fields)) if (!child.description) missing.push(`${path}|.${name}`);
      }
    };
    walk(timelineSchema, '$');
    expect(missing).toEqual([]);
  });
});
