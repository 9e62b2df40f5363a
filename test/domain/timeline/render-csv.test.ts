import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { csvField, renderExport } from '../../../src/domain/timeline';
import { chain, exportInput, fullIncident } from '../../fixtures/timeline/build-incident';

describe('csvField', () => {
  it('quotes a field only when it holds a comma, quote, CR or LF, doubling quotes', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('line\r\nbreak')).toBe('"line\r\nbreak"');
    expect(csvField('cr\ronly')).toBe('"cr\ronly"');
    expect(csvField('')).toBe('');
  });

  it('neutralises cells a spreadsheet would run as a formula', () => {
    expect(csvField('=1+2')).toBe("'=1+2");
    expect(csvField('+1')).toBe("'+1");
    expect(csvField('-1')).toBe("'-1");
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvField('\t=1')).toBe("'\t=1");
    expect(csvField('=HYPERLINK("x","y")')).toBe(`"'=HYPERLINK(""x"",""y"")"`);
    expect(csvField('a=1')).toBe('a=1');
  });
});

describe('the CSV export', () => {
  it('has the header, one CRLF-terminated row per event and nothing else when all is well', () => {
    const csv = renderExport(exportInput(fullIncident()), 'csv').content;
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe('seq,at,actor,type,details');
    expect(lines).toHaveLength(1 + 10 + 1);
    expect(lines.at(-1)).toBe('');
    expect(lines[5]).toBe('5,2026-11-01T06:04:42.500Z,U0FAKEANA,key_revoked,{}');
  });

  it('guards a formula-like actor and parses back to the original once the guard is removed', () => {
    const fixture = fullIncident();
    const events = chain('INC-3', [
      { at: fixture.incident.openedAt, actor: '=cmd|x', type: 'note_added', details: { text: '-1, "2"\n3' } },
    ]);
    const csv = renderExport(exportInput({ ...fixture, events }), 'csv').content;
    expect(csv.split('\r\n')[1]).toBe(
      `1,2026-11-01T05:52:30.125Z,'=cmd|x,note_added,"{""text"":""-1, \\""2\\""\\n3""}"`,
    );
    const [row] = parse(csv, { columns: true }) as Record<string, string>[];
    expect(row?.actor?.replace(/^'(?=[=+\-@\t\r])/, '')).toBe('=cmd|x');
    expect(JSON.parse(row?.details ?? '')).toEqual({ text: '-1, "2"\n3' });
  });

  it('exports an incident with no events as the header alone', () => {
    const fixture = fullIncident();
    expect(renderExport(exportInput({ ...fixture, events: [] }), 'csv').content).toBe('seq,at,actor,type,details\r\n');
  });
});
