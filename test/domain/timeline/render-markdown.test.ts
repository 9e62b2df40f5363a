import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { renderExport } from '../../../src/domain/timeline';
import { inline, mermaidText } from '../../../src/domain/timeline/render-markdown';
import {
  exportInput,
  fullIncident,
  HOSTILE_NOTE,
  revokedBeforeOpened,
  unresolvedIncident,
} from '../../fixtures/timeline/build-incident';

const markdownOf = (fixture: ReturnType<typeof fullIncident>, zone = 'America/New_York') =>
  renderExport(exportInput(fixture, zone), 'markdown').content;

/** Cells of a Markdown table row, split only on pipes that are not escaped. */
const cells = (line: string) => line.split(/(?<!\\)\|/).slice(1, -1);

const section = (markdown: string, heading: string) => {
  const start = markdown.indexOf(`## ${heading}\n`);
  const end = markdown.indexOf('\n## ', start + 1);
  return markdown.slice(start, end === -1 ? undefined : end);
};

// The escaping as first written, one pass per kind of character: the one-pass version must agree with it.
function referenceInline(text: string, lineBreak = '<br>'): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replace(/[\\`*_[\]|~$#]/g, '\\$&')
    .replace(/\r\n|[\r\n\u2028\u2029]/g, lineBreak)
    .replace(/\p{Cc}/gu, ' ');
}

describe('inline escaping of user text', () => {
  it('agrees with the escaping rules applied one by one, for any text', () => {
    const tricky = fc.constantFrom(...'&<>\\`*_[]|~$#\r\n\u2028\u2029\t\u0000\u007f\u0085 a'.split(''), '\r\n');
    const text = fc.oneof(
      fc.string({ unit: 'binary' }),
      fc.array(tricky).map((parts) => parts.join('')),
    );
    fc.assert(
      fc.property(text, fc.constantFrom('<br>', ' '), (t, lineBreak) => {
        expect(inline(t, lineBreak)).toBe(referenceInline(t, lineBreak));
      }),
      { numRuns: 3000 },
    );
  });

  it('turns HTML into entities and markup characters into literals', () => {
    expect(inline('<img src=x onerror=alert(1)> & [a](b) *b* _i_ `c` ~s~ $x$ #h \\')).toBe(
      '&lt;img src=x onerror=alert(1)&gt; &amp; \\[a\\](b) \\*b\\* \\_i\\_ \\`c\\` \\~s\\~ \\$x\\$ \\#h \\\\',
    );
  });

  it('keeps a table row on one line and in its cell', () => {
    expect(inline('a | b\r\nc\nd\re\tf')).toBe('a \\| b<br>c<br>d<br>e f');
    expect(inline('a\nb', ' ')).toBe('a b');
  });
});

describe('the Markdown export', () => {
  it('keeps every table row to its columns, even with a hostile note', () => {
    const markdown = markdownOf(fullIncident());
    const tables = markdown.split('\n\n').filter((block) => block.startsWith('|'));
    expect(tables).toHaveLength(4);
    for (const table of tables) {
      const [header = '', ...rows] = table.split('\n');
      for (const row of rows) expect(cells(row)).toHaveLength(cells(header).length);
    }
    const events = section(markdown, 'Events')
      .split('\n')
      .filter((l) => l.startsWith('|'));
    expect(new Set(events.map((line) => cells(line).length))).toEqual(new Set([6]));
    const noteRow = events.find((line) => line.includes('`note_added`')) ?? '';
    expect(cells(noteRow)[5]).toBe(` ${inline(`Note: ${HOSTILE_NOTE}`)} `);
    expect(noteRow).not.toMatch(/<b>|(?<!\\)\]\(/);
  });

  it('shows headline figures as human durations', () => {
    const figures = section(markdownOf(fullIncident()), 'Headline figures');
    expect(figures).toContain('| Time to revoke | 12 min 12 s |');
    expect(figures).toContain(
      '| Exposure window | 1 h 23 min, from 2026-11-01T04:41:07.250Z to 2026-11-01T06:04:42.500Z |',
    );
    expect(figures).toContain('| Time to resolve | 2 h 8 min |');
    expect(figures).toContain('| Refused attempts | 1 |');
    expect(figures).toContain('| Nudges (key still active) | 2 |');
  });

  it('says how long before opening a key was revoked when it was revoked first', () => {
    const markdown = markdownOf(revokedBeforeOpened());
    expect(markdown).toContain('| Time to revoke | revoked 12 min before the incident was opened |');
    expect(markdown).toContain(
      '| Exposure window | 48 min, from 2026-03-10T08:00:00.000Z to 2026-03-10T08:48:00.000Z |',
    );
    expect(markdown).toContain(
      '| 1. Revoke the key in the PayKore dashboard (Settings → API Keys) | 2026-03-10T08:48:00.000Z | U0FAKEANA | 12 min before opening |',
    );
    expect(markdown).toContain(
      '  Key revoked before the incident was opened :milestone, revoke, 2026-03-10T08:48:00, 2026-03-10T08:48:00',
    );
    expect(markdown).toContain(
      'Key revoked in the PayKore dashboard at 2026-03-10T08:48:00.000Z (declared when the incident was opened).',
    );
  });

  it('marks an unknown exposure start and what an open incident does not know yet', () => {
    const markdown = markdownOf(unresolvedIncident(), 'UTC');
    expect(markdown).toContain('| Exposure start | unknown — detection time used |');
    expect(markdown).toContain('| Time to revoke | not yet revoked: the key is still active |');
    expect(markdown).toContain(
      '| Exposure window | still open: from 2026-03-10T09:00:00.000Z (detection; exposure start unknown), the key has not been revoked |',
    );
    expect(markdown).toContain('| Time to resolve | not yet resolved |');
    expect(markdown).toContain('| 2. Review transactions in the exposure window | not yet |  |  |');
    expect(markdown).toContain(
      '  Exposure window, key still active :crit, exposure, 2026-03-10T09:00:00, 2026-03-10T09:05:00',
    );
  });

  it('shows UTC only when the display zone is UTC', () => {
    const markdown = markdownOf(fullIncident(), 'UTC');
    expect(markdown).toContain('| Seq | UTC time | Actor | Event | Details |');
    expect(markdown).toContain('| Opened at | 2026-11-01T05:52:30.125Z |');
    expect(markdown).not.toContain('America/New_York');
  });

  it('adds a local-time column with the offset of each instant when a zone is configured', () => {
    const markdown = markdownOf(fullIncident());
    expect(markdown).toContain('| Seq | UTC time | Local time (America/New_York) | Actor | Event | Details |');
    expect(markdown).toContain('| 3 | 2026-11-01T05:57:30.125Z | 2026-11-01 01:57:30.125 -04:00 | bot |');
    expect(markdown).toContain('| 4 | 2026-11-01T06:02:30.125Z | 2026-11-01 01:02:30.125 -05:00 | bot |');
  });

  it('shows Slack mentions as plain user ids', () => {
    const fixture = fullIncident();
    fixture.incident = { ...fixture.incident, openedBy: '<@U0FAKEANA|ana>' };
    expect(markdownOf(fixture)).toContain('| Opened by | U0FAKEANA |');
  });

  it('writes a Mermaid gantt whose task names cannot break its grammar', () => {
    const fixture = fullIncident();
    fixture.incident = { ...fixture.incident, keyLabel: 'evil: key #1; %%{init}%% ```' };
    const markdown = markdownOf(fixture);
    const chart = markdown.slice(
      markdown.indexOf('```mermaid\n') + 11,
      markdown.indexOf('\n```\n', markdown.indexOf('```mermaid')),
    );
    const lines = chart.split('\n');
    expect(lines.slice(0, 6)).toEqual([
      'gantt',
      '  title INC-3 evil key 1 init, times in UTC',
      '  dateFormat YYYY-MM-DDTHH:mm:ss',
      '  axisFormat %H:%M',
      '  todayMarker off',
      '  section Exposure',
    ]);
    const time = '\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}';
    const taskLine = new RegExp(`^  [^:#;%\`]+ :(crit, |done, |milestone, )?[a-z]+, ${time}, ${time}$`);
    for (const line of lines.slice(6).filter((l) => !l.startsWith('  section '))) expect(line).toMatch(taskLine);
    expect(lines.filter((l) => l.startsWith('  section '))).toEqual(['  section Exposure', '  section Response']);
  });

  it('strips everything but letters, digits and plain punctuation from chart text', () => {
    expect(mermaidText('a:b#c;d%e`f<g>h\ni  j')).toBe('a b c d e f g h i j');
    expect(mermaidText('clé-v2 (prod), v.1/x')).toBe('clé-v2 (prod), v.1/x');
  });

  it('uses a day-and-time axis when the chart spans more than a day', () => {
    const fixture = fullIncident();
    fixture.incident = { ...fixture.incident, exposureStart: fixture.incident.openedAt - 73 * 3_600_000 };
    const markdown = markdownOf(fixture);
    expect(markdown).toContain('  axisFormat %m-%d %H:%M');
    expect(markdown).toContain('| Exposure window | 3 d 1 h, from 2026-10-29T04:52:30.125Z');
  });
});
