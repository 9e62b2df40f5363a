import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { verifyChain } from '../../../src/domain/event-chain';
import { renderExport } from '../../../src/domain/timeline';
import type { TimelineEvent } from '../../../src/domain/types';
import { exportInput, fullIncident } from '../../fixtures/timeline/build-incident';
import { validateTimeline } from '../../fixtures/timeline/validate-timeline';

/** Someone edited note 6 in the database after it was recorded. */
function tampered() {
  const fixture = fullIncident();
  const events: TimelineEvent[] = fixture.events.map((event) =>
    event.seq === 6 ? { ...event, details: { text: 'nothing to see here' } } : event,
  );
  const input = exportInput({ ...fixture, events });
  expect(input.integrity.ok).toBe(false);
  return input;
}

describe('a timeline whose hash chain is broken', () => {
  it('opens the Markdown with a warning naming the first bad event, and says so again in the integrity line', () => {
    const markdown = renderExport(tampered(), 'markdown').content;
    const [title, blank, warning, firstBad] = markdown.split('\n');
    expect(title).toBe('# INC-3: compromised key api-server-production');
    expect(blank).toBe('');
    expect(warning).toBe('> **Warning: the hash chain of this timeline does not verify.**');
    expect(firstBad).toBe('> First bad event: 6 (`hash_mismatch`): event 6 was altered after it was recorded.');
    expect(markdown).toContain('| 6 (first bad) |');
    expect(markdown).toContain(', chain BROKEN: event 6 fails verification (`hash_mismatch`).');
    expect(markdown).not.toContain('chain verified');
  });

  it('puts an integrity_warning row right under the CSV header', () => {
    const csv = renderExport(tampered(), 'csv').content;
    const rows = parse(csv, { columns: true }) as Record<string, string>[];
    expect(rows[0]).toMatchObject({ seq: '', at: '', actor: '', type: 'integrity_warning' });
    expect(JSON.parse(rows[0]?.details ?? '')).toMatchObject({
      chainVerified: false,
      eventCount: 10,
      firstBad: { seq: 6, problem: 'hash_mismatch' },
      databaseIntegrity: 'ok',
    });
    expect(rows.slice(1).map((row) => row.seq)).toEqual(['1', '2', '3', '4', '5', '6', '7', '8', '9', '10']);
  });

  it('reports verified false with the first bad event in JSON, and the file still validates', () => {
    const document = JSON.parse(renderExport(tampered(), 'json').content);
    expect(document.integrity).toEqual({
      verified: false,
      eventCount: 10,
      chainHead: document.events[9].hash,
      firstBad: { seq: 6, problem: 'hash_mismatch', message: 'event 6 was altered after it was recorded' },
      databaseIntegrity: 'ok',
    });
    expect(validateTimeline(document)).toEqual([]);
  });

  it('names a deleted row as a sequence gap', () => {
    const fixture = fullIncident();
    const events = fixture.events.filter((event) => event.seq !== 4);
    const input = { ...exportInput(fixture), events, integrity: verifyChain('INC-3', events) };
    const markdown = renderExport(input, 'markdown').content;
    expect(markdown).toContain('> First bad event: 5 (`sequence_gap`): event 5 follows event 3: expected 4.');
  });
});

describe('a database whose integrity_check fails', () => {
  const input = { ...exportInput(fullIncident()), databaseIntegrity: '*** in database main ***\nPage 7: btree <bad>' };

  it('warns at the top of the Markdown and reports the message, escaped', () => {
    const markdown = renderExport(input, 'markdown').content;
    expect(markdown).toContain(
      '> **Warning: the database integrity check failed:** \\*\\*\\* in database main \\*\\*\\*<br>Page 7: btree &lt;bad&gt;',
    );
    expect(markdown).toContain('Database `integrity_check`: FAILED: ');
    expect(markdown).toContain('chain verified');
  });

  it('adds the CSV warning row and keeps the message in JSON', () => {
    const rows = parse(renderExport(input, 'csv').content, { columns: true }) as Record<string, string>[];
    expect(JSON.parse(rows[0]?.details ?? '')).toMatchObject({
      chainVerified: true,
      databaseIntegrity: input.databaseIntegrity,
    });
    const document = JSON.parse(renderExport(input, 'json').content);
    expect(document.integrity.databaseIntegrity).toBe(input.databaseIntegrity);
    expect(validateTimeline(document)).toEqual([]);
  });
});
