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
}

export class UnknownTimeZoneError extends BotError {
  constructor(readonly zone: string) {
    super(
      'unknown_time_zone',
      `"${zone}" is not an IANA time zone this runtime knows (for example UTC or America/New_York)`,
    );
  }
}

export function buildExportModel(input: ExportInput): ExportModel {
  if (!isValidTimeZone(input.displayTimeZone)) throw new UnknownTimeZoneError(input.displayTimeZone);
  return {
    ...input,
    ref: incidentRef(input.incident.id),
    metrics: computeMetrics(input.incident, input.events),
    localZone: isUtcZone(input.displayTimeZone) ? null : input.displayTimeZone,
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
