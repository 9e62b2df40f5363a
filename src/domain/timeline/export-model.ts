import { BotError } from '../bot-error';
import type { ChainVerdict } from '../event-chain';
import { type Incident, incidentRef, type TimelineEvent } from '../types';
import { isUtcZone, isValidTimeZone } from './format-time';
import { computeMetrics, type IncidentMetrics } from './metrics';

export type ExportFormat = 'markdown' | 'csv' | 'json';

export interface ExportInput {
  incident: Incident;
  /** The incident's stream, in seq order. */
  events: TimelineEvent[];
  integrity: ChainVerdict;
  /** The result of `PRAGMA integrity_check`: 'ok' or SQLite's message. */
  databaseIntegrity: 'ok' | string;
  /** IANA zone; 'UTC' means UTC only. */
  displayTimeZone: string;
}

export interface ExportFile {
  filename: string;
  mimeType: string;
  content: string;
}

/** What every renderer works from: the input, checked once, plus the figures derived from it. */
export interface ExportModel extends ExportInput {
  ref: string;
  metrics: IncidentMetrics;
  /** The zone for local times, or null when the export shows UTC only. */
  localZone: string | null;
  /** Who leads, read from the chain: the declarer, or the last `lead_changed`. */
  lead: string;
  /** A practice incident, read from its `incident_opened` event. */
  drill: boolean;
}

export class UnknownTimeZoneError extends BotError {
  constructor(readonly zone: string) {
    super(
      'unknown_time_zone',
      `"${zone}" is not an IANA time zone this runtime knows (for example UTC or America/New_York)`,
    );
  }
}

// Every figure an export shows comes from chained events, the lead included.
function leadFromEvents(openedBy: string, events: readonly TimelineEvent[]): string {
  const handover = events.filter((event) => event.type === 'lead_changed').at(-1);
  return typeof handover?.details.to === 'string' ? handover.details.to : openedBy;
}

export function buildExportModel(input: ExportInput): ExportModel {
  if (!isValidTimeZone(input.displayTimeZone)) throw new UnknownTimeZoneError(input.displayTimeZone);
  return {
    ...input,
    ref: incidentRef(input.incident.id),
    metrics: computeMetrics(input.incident, input.events),
    localZone: isUtcZone(input.displayTimeZone) ? null : input.displayTimeZone,
    lead: leadFromEvents(input.incident.openedBy, input.events),
    drill: input.events.some((event) => event.type === 'incident_opened' && event.details.drill === true),
  };
}

const FILE_TYPES: Record<ExportFormat, { extension: string; mimeType: string }> = {
  markdown: { extension: 'md', mimeType: 'text/markdown; charset=utf-8' },
  csv: { extension: 'csv', mimeType: 'text/csv; charset=utf-8' },
  json: { extension: 'json', mimeType: 'application/json' },
};

export function exportFile(model: Pick<ExportModel, 'ref'>, format: ExportFormat, content: string): ExportFile {
  const { extension, mimeType } = FILE_TYPES[format];
  return { filename: `${model.ref}-timeline.${extension}`, mimeType, content };
}
