import { readFileSync, writeFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { canonicalJson } from '../../../src/domain/event-chain';
import { type ExportFormat, renderExport } from '../../../src/domain/timeline';
import { exportInput, fullIncident } from '../../fixtures/timeline/build-incident';
import { validateTimeline } from '../../fixtures/timeline/validate-timeline';

// The golden files are the reviewed, expected bytes. After an intended change, regenerate them with
// `UPDATE_GOLDEN=1 npx vitest run test/domain/timeline/golden.test.ts` and read the diff before committing.

// `.golden` keeps formatters and line-ending conversion away from the expected bytes (see .gitattributes there).
const golden = (filename: string) => new URL(`../../fixtures/timeline/${filename}.golden`, import.meta.url);
const FORMATS: ExportFormat[] = ['markdown', 'csv', 'json'];

describe('timeline export of a full incident', () => {
  for (const format of FORMATS) {
    it(`renders ${format} byte for byte as the golden file, every time`, () => {
      const first = renderExport(exportInput(fullIncident()), format);
      const second = renderExport(exportInput(fullIncident()), format);
      if (process.env.UPDATE_GOLDEN === '1') writeFileSync(golden(first.filename), first.content);
      expect(second.content).toBe(first.content);
      expect(first.content).toBe(readFileSync(golden(first.filename), 'utf8'));
    });
  }

  it('names the files after the incident', () => {
    const input = exportInput(fullIncident());
    expect(FORMATS.map((format) => renderExport(input, format).filename)).toEqual([
      'INC-3-timeline.md',
      'INC-3-timeline.csv',
      'INC-3-timeline.json',
    ]);
    expect(renderExport(input, 'json').mimeType).toBe('application/json');
  });

  it('writes a CSV that parses back to the same seq, at, actor, type and details', () => {
    const { events } = fullIncident();
    const csv = renderExport(exportInput(fullIncident()), 'csv').content;
    const rows = parse(csv, { columns: true }) as Record<string, string>[];
    expect(rows).toEqual(
      events.map((event) => ({
        seq: String(event.seq),
        at: new Date(event.at).toISOString(),
        actor: event.actor,
        type: event.type,
        details: canonicalJson(event.details),
      })),
    );
    expect(csv.startsWith('seq,at,actor,type,details\r\n')).toBe(true);
    expect(csv.endsWith('\r\n')).toBe(true);
    expect(csv.replaceAll('\r\n', '')).not.toMatch(/[\r\n]/);
  });

  it('writes JSON that validates against docs/timeline.schema.json', () => {
    const json = JSON.parse(renderExport(exportInput(fullIncident()), 'json').content);
    expect(validateTimeline(json)).toEqual([]);
  });

  describe('whatever the machine clock and zone say', () => {
    const zone = process.env.TZ;
    afterEach(() => {
      vi.useRealTimers();
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    });

    it('renders the same bytes', () => {
      const render = () => FORMATS.map((format) => renderExport(exportInput(fullIncident()), format).content);
      vi.useFakeTimers({ now: Date.UTC(2001, 0, 1) });
      process.env.TZ = 'Asia/Tokyo';
      const early = render();
      vi.setSystemTime(Date.UTC(2031, 6, 15, 12));
      process.env.TZ = 'America/Los_Angeles';
      expect(render()).toEqual(early);
    });
  });
});
