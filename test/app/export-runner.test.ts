import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { threadId } from 'node:worker_threads';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ExportRunner, exportWorker } from '../../src/app/export-runner';
import { ExportService } from '../../src/app/export-service';
import type { Store } from '../../src/app/store';
import { EXPORT_FORMATS } from '../../src/domain/command';
import { START, writeRecord } from '../fixtures/timeline/record-on-disk';
import { testClock } from '../support/test-clock';

const ZONE = 'America/New_York';

describe('exports and verification in a worker thread', () => {
  let dir: string;
  let path: string;
  let store: Store;
  let runner: ExportRunner;
  let here: ExportService;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'paykore-export-worker-'));
    path = join(dir, 'bot.sqlite');
    store = writeRecord(path);
    here = new ExportService({ store, displayTimeZone: ZONE, clock: testClock(START).clock });
    runner = exportWorker({ databasePath: path, displayTimeZone: ZONE, recordKey: null });
  });
  afterEach(async () => {
    await runner.close();
    store.db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers with exactly what the export service answers on this thread, in every format', async () => {
    expect(threadId).toBe(0);
    for (const format of EXPORT_FORMATS) {
      expect(await runner.exportIncident(1, format)).toEqual(here.exportIncident(1, format));
    }
    expect(await runner.exportIncident(99, 'markdown')).toBeNull();
    expect(await runner.verify()).toEqual(here.verify());
    expect(await runner.verify('INC-1')).toEqual(here.verify('INC-1'));
    expect(await runner.verify('INC-404')).toBeNull();
  });

  it('sees what the bot committed after it started, and reports a record edited by hand', async () => {
    expect((await runner.verify('INC-1'))?.ok).toBe(true);
    store.db.exec('DROP TRIGGER events_no_update');
    store.db.prepare("UPDATE events SET actor = 'U0MALLORY1' WHERE stream = 'INC-1' AND seq = 3").run();
    const verdict = await runner.verify('INC-1');
    expect(verdict?.ok).toBe(false);
    expect(verdict).toEqual(here.verify('INC-1'));
  });

  it('cannot write: its connection is read-only, so the record it reports on is the record the bot keeps', async () => {
    const heads = store.events.allStreams().map((stream) => store.events.head(stream)?.hash);
    const count = store.db.prepare('SELECT count(*) AS n FROM events').get();
    await runner.exportIncident(1, 'json');
    await runner.verify();
    expect(store.events.allStreams().map((stream) => store.events.head(stream)?.hash)).toEqual(heads);
    expect(store.db.prepare('SELECT count(*) AS n FROM events').get()).toEqual(count);
  });

  it('rejects with a sentence when the database is gone, and serves again once it is back', async () => {
    const missing = exportWorker({ databasePath: join(dir, 'nowhere.sqlite'), displayTimeZone: ZONE, recordKey: null });
    try {
      await expect(missing.verify()).rejects.toThrow(/^The export worker could not open the database: /);
    } finally {
      await missing.close();
    }
    expect((await runner.verify())?.ok).toBe(true);
  });

  it('fails every pending request when closed, and a closed runner starts a fresh worker on the next one', async () => {
    const pending = expect(runner.exportIncident(1, 'csv')).rejects.toThrow('the export worker was closed');
    await runner.close();
    await pending;
    expect((await runner.exportIncident(1, 'csv'))?.file).toEqual(here.exportIncident(1, 'csv')?.file);
  });

  it("checks a keyed record with the bot's RECORD_KEY, and calls it unverifiable without it", async () => {
    const keyedDir = mkdtempSync(join(tmpdir(), 'paykore-export-keyed-'));
    const keyedPath = join(keyedDir, 'bot.sqlite');
    const recordKey = new Uint8Array(Buffer.from('test-record-key-0123456789abcdef0123456789abcdef'));
    const keyed = writeRecord(keyedPath, recordKey);
    const withKey = exportWorker({ databasePath: keyedPath, displayTimeZone: ZONE, recordKey });
    const withoutKey = exportWorker({ databasePath: keyedPath, displayTimeZone: ZONE, recordKey: null });
    try {
      const exported = await withKey.exportIncident(1, 'markdown');
      expect(exported?.integrity.ok).toBe(true);
      expect(exported?.file.content).toContain('chain verified');
      expect((await withKey.verify())?.ok).toBe(true);
      const blind = await withoutKey.verify('INC-1');
      expect(blind?.ok).toBe(false);
      expect(JSON.stringify(blind)).toContain('set RECORD_KEY');
    } finally {
      await withKey.close();
      await withoutKey.close();
      keyed.db.close();
      rmSync(keyedDir, { recursive: true, force: true });
    }
  });
});
