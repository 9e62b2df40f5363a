import type { ExportRunner } from '../app/export-runner';
import type { IncidentService } from '../app/incident-service';
import type { Store } from '../app/store';
import { EXPORT_FORMATS } from '../domain/command';
import { revokedAt } from '../domain/incident';
import { parseIncidentRef } from '../domain/refs';
import { compareDrill, type DrillTimes, drillReportLines } from '../domain/rooms/drill-report';
import { type Incident, incidentRef } from '../domain/types';
import { exportComment, exportTitle } from './blocks/export-messages';
import { incidentCard } from './blocks/incident-card';
import { threadReply } from './blocks/thread-reply';
import type { SubjectRenderer } from './outbox-sender';

function drillTimes(incident: Incident): DrillTimes {
  const revoked = revokedAt(incident);
  return {
    incidentId: incident.id,
    timeToRevokeMs: revoked === null ? null : revoked - incident.openedAt,
    timeToResolveMs: incident.resolvedAt === null ? null : incident.resolvedAt - incident.openedAt,
  };
}

/** A resolved drill's times against the drills before it: the team sees itself get faster (or not). */
function drillReport(store: Store, incident: Incident): string[] {
  const earlier = store.incidents.drillsBefore(incident.id, 5).map(drillTimes);
  return drillReportLines(compareDrill(drillTimes(incident), earlier));
}

/** Draws an incident's card, thread replies and timeline files from what the database says now. */
export function incidentRenderer(
  store: Store,
  incidents: IncidentService,
  exports: Pick<ExportRunner, 'exportIncident'>,
): SubjectRenderer {
  const idOf = (subject: string) => parseIncidentRef(subject) ?? 0;
  const incidentOf = (subject: string) => incidents.get(idOf(subject));
  return {
    card(subject) {
      const incident = incidentOf(subject);
      if (!incident) return null;
      const head = store.events.head(subject);
      const witness = head ? { stream: subject, count: head.seq, head: head.hash } : undefined;
      const message = incidentCard(incident, incidents.now(), witness);
      return {
        channelId: incident.channelId,
        ...message,
        ...(witness ? { witness } : {}),
        ts: incident.cardTs,
        saveTs: (ts) => store.incidents.setCardTs(incident.id, ts),
      };
    },
    threadReply(subject, payload) {
      const incident = incidentOf(subject);
      const event = store.events.get(String(payload.stream ?? subject), Number(payload.seq));
      if (!incident || !event) return null;
      let text = threadReply(event);
      if (incident.drill) {
        text = `:performing_arts: *DRILL* · ${text}`;
        if (event.type === 'incident_resolved') text = `${text}\n${drillReport(store, incident).join('\n')}`;
      }
      return { channelId: incident.channelId, threadTs: incident.cardTs, text };
    },
    async file(subject, payload) {
      const format = EXPORT_FORMATS.find((name) => name === payload.format) ?? 'markdown';
      const exported = await exports.exportIncident(idOf(subject), format);
      if (!exported) return null;
      const ref = incidentRef(exported.incident.id);
      return {
        channelId: exported.incident.channelId,
        filename: exported.file.filename,
        title: exportTitle(ref, format),
        content: exported.file.content,
        comment: exportComment({
          ref,
          format,
          requestedBy: typeof payload.requestedBy === 'string' ? payload.requestedBy : null,
          integrity: exported.integrity,
          databaseIntegrity: exported.databaseIntegrity,
        }),
      };
    },
  };
}
