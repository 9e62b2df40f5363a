import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ExportService } from '../../src/app/export-service';
import { createStore, type Store } from '../../src/app/store';
import { openDatabase } from '../../src/db/open-database';
import { detailsProblem } from '../../src/domain/events/event-schemas';
import { validateTimeline } from '../fixtures/timeline/validate-timeline';
import { testClock } from '../support/test-clock';

// A database written by the code before events had schemas (see test/fixtures/db/write-legacy-database.ts):
// INC-1 (resolved, with a refusal and a nudge), INC-2, KEYS and ROT-1. What it recorded must still read, render
// and verify; the bot must not need to rewrite a hash-chained row to understand it.
const FIXTURE = new URL('../fixtures/db/main-8217fe2.sqlite', import.meta.url).pathname;

describe('a database written by the code before typed events', () => {
  let dir: string;
  let store: Store;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'paykore-legacy-'));
    copyFileSync(FIXTURE, join(dir, 'bot.sqlite'));
    store = createStore(openDatabase(join(dir, 'bot.sqlite')));
  });
  afterEach(() => {
    store.db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('holds only events whose details fit their schema, on every stream', () => {
    const streams = store.events.allStreams();
    expect(streams).toEqual(['INC-1', 'INC-2', 'KEYS', 'ROT-1']);
    const misfits = streams.flatMap((stream) =>
      store.events
        .stream(stream)
        .map((event) => [stream, event.seq, event.type, detailsProblem(event.type, event.details)])
        .filter(([, , , problem]) => problem !== null),
    );
    expect(misfits).toEqual([]);
  });

  it('verifies and exports as before, in every format, with JSON that fits the generated schema', () => {
    const exports = new ExportService({ store, displayTimeZone: 'America/New_York', clock: testClock(0).clock });
    const verdict = exports.verify();
    expect(verdict?.streams.map((s) => [s.stream, s.verdict.ok])).toEqual([
      ['INC-1', true],
      ['INC-2', true],
      ['KEYS', true],
      ['ROT-1', true],
    ]);
    for (const id of [1, 2]) {
      const json = exports.exportIncident(id, 'json');
      const document = JSON.parse(json?.file.content ?? '');
      expect(document.integrity.verified).toBe(true);
      expect(validateTimeline(document)).toEqual([]);
      expect(exports.exportIncident(id, 'markdown')?.file.content).toContain('chain verified');
    }
    const markdown = exports.exportIncident(1, 'markdown')?.file.content ?? '';
    expect(markdown).toContain('Refused: review step (revoke comes first).');
    expect(markdown).toContain('Note: also rotated the staging key, to be safe');
  });

  it('refuses to append details that do not fit their type, and records nothing', () => {
    const before = store.events.stream('INC-2');
    const bad = { stream: 'INC-2', at: 1, actor: 'U0FAKEANA', type: 'note_added' as const, details: { text: 42 } };
    expect(() => store.transaction(() => store.events.append(bad, 'bad-note'))).toThrow(
      /note_added event on INC-2 not recorded: text/,
    );
    expect(store.events.stream('INC-2')).toEqual(before);
    expect(store.events.findByIdempotencyKey('bad-note')).toBeNull();
  });
});
