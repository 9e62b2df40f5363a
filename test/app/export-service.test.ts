import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ExportService } from '../../src/app/export-service';
import { IncidentService } from '../../src/app/incident-service';
import { createStore, type Store } from '../../src/app/store';
import { openDatabase } from '../../src/db/open-database';
import { EXPORT_FORMATS } from '../../src/domain/command';
import { CHANNEL, START, writeRecord } from '../fixtures/timeline/record-on-disk';
import { validateTimeline } from '../fixtures/timeline/validate-timeline';
import { testClock } from '../support/test-clock';

const ZONE = 'America/New_York';

/** Every row of every table, and each stream's head: what "export changes nothing" is checked against. */
function everything(store: Store) {
  const tables = store.db
    .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    .all() as { name: string }[];
  return {
    rows: Object.fromEntries(tables.map(({ name }) => [name, store.db.prepare(`SELECT * FROM "${name}"`).all()])),
    heads: store.events.allStreams().map((stream) => store.events.head(stream)?.hash),
  };
}

describe('the export use-case', () => {
  let dir: string;
  let store: Store;
  let exports: ExportService;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'paykore-export-'));
    store = writeRecord(join(dir, 'bot.sqlite'));
    exports = new ExportService({ store, displayTimeZone: ZONE, clock: testClock(START + 3_600_000).clock });
  });
  afterEach(() => {
    store.db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('exports a verified timeline in every format, the same bytes every time, and writes nothing', () => {
    const before = everything(store);
    for (const format of EXPORT_FORMATS) {
      const first = exports.exportIncident(1, format);
      expect(first?.integrity).toMatchObject({ ok: true, count: 9 });
      expect(first?.databaseIntegrity).toBe('ok');
      expect(exports.exportIncident(1, format)?.file).toEqual(first?.file);
    }
    expect(everything(store)).toEqual(before);
  });

  it('gives a JSON export that validates against docs/timeline.schema.json, with local times in the display zone', () => {
    for (const id of [1, 2]) {
      const document = JSON.parse(exports.exportIncident(id, 'json')?.file.content ?? '');
      expect(validateTimeline(document)).toEqual([]);
      expect(document.displayTimeZone).toBe(ZONE);
    }
    const document = JSON.parse(exports.exportIncident(1, 'json')?.file.content ?? '');
    expect(document.events.map((event: { atLocal: string }) => event.atLocal.slice(-6))).toContain('-04:00');
    expect(document.events.map((event: { atLocal: string }) => event.atLocal.slice(-6))).toContain('-05:00');
  });

  it('answers null for an incident that does not exist', () => {
    expect(exports.exportIncident(99, 'markdown')).toBeNull();
    expect(exports.verify('INC-99')).toBeNull();
  });

  it('verifies every stream and every incident, or just the one named', () => {
    const all = exports.verify();
    expect(all).toMatchObject({ ok: true, databaseIntegrity: 'ok' });
    expect(all?.streams.map((s) => [s.stream, s.verdict.count])).toEqual([
      ['INC-1', 9],
      ['INC-2', 2],
    ]);
    expect(exports.verify('INC-2')?.streams.map((s) => s.stream)).toEqual(['INC-2']);
  });

  it('queues one upload per request and changes no incident, step or event', () => {
    const before = everything(store);
    const request = { incidentId: 1, format: 'csv' as const, requestedBy: 'U0FAKEBEN', requestKey: 'command:T1' };
    expect(exports.requestUpload(request)?.id).toBe(1);
    expect(exports.requestUpload(request)?.id).toBe(1); // the same payload, redelivered
    const after = everything(store);
    expect({ ...after.rows, outbox: null }).toEqual({ ...before.rows, outbox: null });
    expect(after.heads).toEqual(before.heads);
    const files = store.db
      .prepare("SELECT channel_id, subject, payload FROM outbox WHERE kind = 'file' ORDER BY id")
      .all();
    expect(files).toEqual([
      { channel_id: CHANNEL, subject: 'INC-1', payload: '{"format":"markdown"}' }, // queued by the resolution
      { channel_id: CHANNEL, subject: 'INC-1', payload: '{"format":"csv","requestedBy":"U0FAKEBEN"}' },
    ]);
    expect(exports.requestUpload({ ...request, incidentId: 42 })).toBeNull();
  });

  it('queues the markdown timeline in the same commit as a resolution, and only then', () => {
    const files = () => store.db.prepare("SELECT subject FROM outbox WHERE kind = 'file'").all();
    expect(files()).toEqual([{ subject: 'INC-1' }]); // INC-1 resolved in the fixture; INC-2 still open
    const incidents = new IncidentService({ store, clock: testClock(START + 7_200_000).clock, revokeNudgeMinutes: 5 });
    const refused = incidents.resolve({
      incidentId: 2,
      channelId: CHANNEL,
      actor: 'U0FAKEANA',
      resolution: 'false_positive',
      summary: '',
      idempotencyKey: 'resolve-too-early',
    });
    expect(refused.kind).toBe('refused');
    expect(files()).toEqual([{ subject: 'INC-1' }]);
  });

  it('exports from a database opened read-only', () => {
    const path = join(dir, 'bot.sqlite');
    const readonly = createStore(openDatabase(path, { readonly: true }));
    try {
      const fromReadOnly = new ExportService({ store: readonly, displayTimeZone: ZONE, clock: testClock(0).clock });
      expect(fromReadOnly.exportIncident(1, 'json')?.file).toEqual(exports.exportIncident(1, 'json')?.file);
      expect(fromReadOnly.verify()?.ok).toBe(true);
    } finally {
      readonly.db.close();
    }
  });
});
