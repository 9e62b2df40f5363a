import { STEP_TITLES } from '../step-titles';
import { humanDuration, isoUtc } from '../time';
import { STEPS } from '../types';
import { describeEvent, plainActor } from './describe-event';
import type { ExportModel } from './export-model';
import { localTime, localTimeWithZone } from './format-time';

// A postmortem-ready page. Every piece of user-supplied text goes through `inline`, so a note can never split a
// table, open a link, or smuggle HTML into whatever renders the file.

// One pass over the text (a 10,000-event export calls this twice per event): HTML's three characters become
// entities, Markdown's own are escaped with a backslash, line breaks become `lineBreak`, other control characters
// a space.
const INLINE_SPECIAL = /\r\n|[&<>\\`*_[\]|~$#\r\n\u2028\u2029]|\p{Cc}/gu;
const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };
const MARKDOWN_CHARS = new Set('\\`*_[]|~$#');
const LINE_BREAKS = new Set(['\r\n', '\r', '\n', '\u2028', '\u2029']);

/**
 * Escapes text for GitHub-flavoured Markdown inline content (table cells, headings, block quotes): HTML
 * becomes entities, inline markup characters get a backslash, line breaks become `<br>` (or a space).
 */
export function inline(text: string, lineBreak = '<br>'): string {
  return text.replace(INLINE_SPECIAL, (found) => {
    const entity = ENTITIES[found];
    if (entity) return entity;
    if (MARKDOWN_CHARS.has(found)) return `\\${found}`;
    return LINE_BREAKS.has(found) ? lineBreak : ' ';
  });
}

const table = (header: readonly string[], rows: readonly (readonly string[])[]): string[] => [
  `| ${header.join(' | ')} |`,
  `| ${header.map(() => '---').join(' | ')} |`,
  ...rows.map((cells) => `| ${cells.join(' | ')} |`),
];

function utcAndLocal(model: ExportModel, ms: number): string {
  return model.localZone ? `${isoUtc(ms)} / ${localTimeWithZone(ms, model.localZone)}` : isoUtc(ms);
}

function integrityWarning(model: ExportModel): string[] {
  const lines: string[] = [];
  const { integrity } = model;
  if (!integrity.ok) {
    const { seq, problem, message } = integrity.firstBad;
    lines.push(
      '> **Warning: the hash chain of this timeline does not verify.**',
      `> First bad event: ${seq} (\`${problem}\`): ${inline(message, ' ')}.`,
      `> Events from ${seq} on may have been edited, removed or reordered after they were recorded: compare them with a backup before relying on them.`,
      '',
    );
  }
  if (model.databaseIntegrity !== 'ok') {
    lines.push(`> **Warning: the database integrity check failed:** ${inline(model.databaseIntegrity)}`, '');
  }
  return lines;
}

function summary(model: ExportModel): string[] {
  const { incident } = model;
  const resolution = incident.resolution ? `resolved: ${incident.resolution.replaceAll('_', ' ')}` : incident.status;
  return table(
    ['Field', 'Value'],
    [
      ['Incident', model.ref],
      ['Key', inline(incident.keyLabel)],
      ['Environment', incident.environment],
      ['Key mode', incident.keyMode],
      ['Severity', incident.severity],
      ...(model.drill ? [['Drill', 'yes: a practice incident, no key was exposed']] : []),
      ['Opened by', inline(plainActor(incident.openedBy))],
      ['Lead', inline(plainActor(model.lead))],
      ['Opened at', utcAndLocal(model, incident.openedAt)],
      [
        'Exposure start',
        incident.exposureStart === null ? 'unknown — detection time used' : utcAndLocal(model, incident.exposureStart),
      ],
      ['How it was exposed', inline(incident.how)],
      ['Status', resolution],
      [
        'Resolved',
        incident.resolvedAt === null
          ? 'not yet'
          : `${utcAndLocal(model, incident.resolvedAt)} by ${inline(plainActor(incident.resolvedBy ?? 'unknown'))}`,
      ],
      ['Summary', inline(incident.summary)],
      ['Channel', inline(incident.channelId)],
    ],
  );
}

function headlineFigures(model: ExportModel): string[] {
  const { metrics } = model;
  const revoke =
    metrics.timeToRevokeMs === null
      ? 'not yet revoked: the key is still active'
      : metrics.timeToRevokeMs < 0
        ? `revoked ${humanDuration(metrics.timeToRevokeMs)} before the incident was opened`
        : humanDuration(metrics.timeToRevokeMs);
  const from = metrics.exposureStartKnown
    ? isoUtc(metrics.exposureStart)
    : `${isoUtc(metrics.exposureStart)} (detection; exposure start unknown)`;
  const exposure =
    metrics.exposureWindowMs === null || metrics.revokedAt === null
      ? `still open: from ${from}, the key has not been revoked`
      : `${humanDuration(metrics.exposureWindowMs)}, from ${from} to ${isoUtc(metrics.revokedAt)}`;
  const resolve = metrics.timeToResolveMs === null ? 'not yet resolved' : humanDuration(metrics.timeToResolveMs);
  return table(
    ['Figure', 'Value'],
    [
      ['Time to revoke', revoke],
      ['Exposure window', exposure],
      ['Time to resolve', resolve],
      ['Refused attempts', String(metrics.refusedAttempts)],
      ['Nudges (key still active)', String(metrics.nudges)],
      ['Idle-step reminders', String(metrics.idleReminders)],
      ['Notes', String(metrics.notes)],
    ],
  );
}

function steps(model: ExportModel): string[] {
  return table(
    ['Step', 'Completed (UTC)', 'By', 'After opening'],
    STEPS.map((step, index) => {
      const timing = model.metrics.steps[step];
      const title = `${index + 1}. ${STEP_TITLES[step]}`;
      if (!timing) return [title, 'not yet', '', ''];
      const offset =
        timing.offsetMs < 0 ? `${humanDuration(timing.offsetMs)} before opening` : humanDuration(timing.offsetMs);
      return [title, isoUtc(timing.at), inline(plainActor(timing.by)), offset];
    }),
  );
}

/** Mermaid task names and titles: only characters that mean nothing to its grammar (no `:`, `#`, `;`, `%`). */
export function mermaidText(text: string): string {
  return text
    .replace(/[^\p{L}\p{N} ._,()/'-]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Mermaid reads these as local wall-clock times and draws its axis in the same local time, so the chart shows UTC. */
const chartTime = (ms: number) => isoUtc(Math.floor(ms / 1000) * 1000).slice(0, 19);

function gantt(model: ExportModel): string[] {
  const { incident, metrics, events } = model;
  const task = (name: string, tags: string, id: string, start: number, end: number) =>
    `  ${mermaidText(name)} :${tags}${id}, ${chartTime(start)}, ${chartTime(Math.max(start, end))}`;
  const lastRecorded = events.reduce(
    (last, event) => Math.max(last, event.at),
    Math.max(incident.openedAt, incident.resolvedAt ?? 0),
  );
  const firstShown = Math.min(metrics.exposureStart, metrics.revokedAt ?? metrics.exposureStart);
  const spansDays = lastRecorded - firstShown >= 86_400_000;
  const exposureName =
    metrics.revokedAt === null
      ? 'Exposure window, key still active'
      : metrics.exposureStartKnown
        ? 'Exposure window'
        : 'Exposure window from detection, start unknown';
  const lines = [
    '```mermaid',
    'gantt',
    `  title ${model.ref} ${mermaidText(incident.keyLabel)}, times in UTC`,
    '  dateFormat YYYY-MM-DDTHH:mm:ss',
    `  axisFormat ${spansDays ? '%m-%d %H:%M' : '%H:%M'}`,
    '  todayMarker off',
    '  section Exposure',
    task(exposureName, 'crit, ', 'exposure', metrics.exposureStart, metrics.revokedAt ?? lastRecorded),
    task('Incident opened', 'milestone, ', 'opened', incident.openedAt, incident.openedAt),
    '  section Response',
  ];
  // A step becomes possible when the one before it is done (or, for the first, when the incident opens).
  let available = incident.openedAt;
  STEPS.forEach((step, index) => {
    const timing = metrics.steps[step];
    if (!timing) return;
    if (timing.at < incident.openedAt) {
      lines.push(task('Key revoked before the incident was opened', 'milestone, ', step, timing.at, timing.at));
    } else {
      lines.push(task(`${index + 1}. ${STEP_TITLES[step]}`, 'done, ', step, available, timing.at));
    }
    available = Math.max(incident.openedAt, timing.at);
  });
  if (incident.resolvedAt !== null) {
    lines.push(task('Resolved', 'milestone, ', 'resolved', incident.resolvedAt, incident.resolvedAt));
  }
  lines.push('```');
  return lines;
}

function eventTable(model: ExportModel): string[] {
  const firstBad = model.integrity.ok ? null : model.integrity.firstBad.seq;
  const header = [
    'Seq',
    'UTC time',
    ...(model.localZone ? [`Local time (${model.localZone})`] : []),
    'Actor',
    'Event',
    'Details',
  ];
  return table(
    header,
    model.events.map((event) => [
      event.seq === firstBad ? `${event.seq} (first bad)` : String(event.seq),
      isoUtc(event.at),
      ...(model.localZone ? [localTime(event.at, model.localZone)] : []),
      inline(plainActor(event.actor)),
      `\`${event.type}\``,
      inline(describeEvent(event)),
    ]),
  );
}

function integrityLines(model: ExportModel): string[] {
  const { integrity } = model;
  const chain = integrity.ok
    ? 'chain verified'
    : `chain BROKEN: event ${integrity.firstBad.seq} fails verification (\`${integrity.firstBad.problem}\`)`;
  return [
    `Integrity: ${integrity.count} events, chain head ${integrity.head}, ${chain}.`,
    '',
    `Database \`integrity_check\`: ${model.databaseIntegrity === 'ok' ? 'ok' : `FAILED: ${inline(model.databaseIntegrity)}`}.`,
  ];
}

export function renderMarkdown(model: ExportModel): string {
  const lines = [
    `# ${model.drill ? 'DRILL · ' : ''}${model.ref}: compromised key ${inline(model.incident.keyLabel, ' ')}`,
    '',
    ...integrityWarning(model),
    '## Summary',
    '',
    ...summary(model),
    '',
    '## Headline figures',
    '',
    ...headlineFigures(model),
    '',
    '## Playbook steps',
    '',
    ...steps(model),
    '',
    '## Chart',
    '',
    ...gantt(model),
    '',
    '## Events',
    '',
    ...eventTable(model),
    '',
    '## Integrity',
    '',
    ...integrityLines(model),
  ];
  return `${lines.join('\n')}\n`;
}
