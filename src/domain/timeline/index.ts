// The post-incident timeline export: pure functions from an incident's record to the bytes of a file.

import { buildExportModel, type ExportFile, type ExportFormat, type ExportInput, exportFile } from './export-model';
import { renderCsv } from './render-csv';
import { renderJson } from './render-json';
import { renderMarkdown } from './render-markdown';

export { describeEvent } from './describe-event';
export type { ExportFile, ExportFormat, ExportInput, ExportModel } from './export-model';
export { buildExportModel, UnknownTimeZoneError } from './export-model';
export { isoLocal, isUtcZone, isValidTimeZone, localTime, localTimeWithZone } from './format-time';
export type { IncidentMetrics, StepTiming } from './metrics';
export { computeMetrics, revocationTime } from './metrics';
export { csvField, renderCsv } from './render-csv';
export type { TimelineDocument } from './render-json';
export { FORMAT_VERSION, renderJson, timelineDocument } from './render-json';
export { renderMarkdown } from './render-markdown';

const RENDERERS = { markdown: renderMarkdown, csv: renderCsv, json: renderJson } as const;

/** Same input, same bytes: nothing here reads a clock. Throws UnknownTimeZoneError for an unknown zone. */
export function renderExport(input: ExportInput, format: ExportFormat): ExportFile {
  const model = buildExportModel(input);
  return exportFile(model, format, RENDERERS[format](model));
}
