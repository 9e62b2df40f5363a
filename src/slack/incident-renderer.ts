import type { IncidentService } from '../app/incident-service';
import type { Store } from '../app/store';
import { incidentCard } from './blocks/incident-card';
import { threadReply } from './blocks/thread-reply';
import type { SubjectRenderer } from './outbox-sender';

/** Draws an incident's card and thread replies from what the database says now. */
export function incidentRenderer(store: Store, incidents: IncidentService): SubjectRenderer {
  const incidentOf = (subject: string) => incidents.get(Number(subject.slice('INC-'.length)));
  return {
    card(subject) {
      const incident = incidentOf(subject);
      if (!incident) return null;
      const message = incidentCard(incident, incidents.now());
      return {
        channelId: incident.channelId,
        ...message,
        ts: incident.cardTs,
        saveTs: (ts) => store.incidents.setCardTs(incident.id, ts),
      };
    },
    threadReply(subject, payload) {
      const incident = incidentOf(subject);
      const event = store.events.get(String(payload.stream ?? subject), Number(payload.seq));
      if (!incident || !event) return null;
      return { channelId: incident.channelId, threadTs: incident.cardTs, text: threadReply(event) };
    },
  };
}
