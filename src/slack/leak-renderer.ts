import type { Store } from '../app/store';
import type { LeakRepository } from '../db/leak-repository';
import { parseRef } from '../domain/refs';
import { leakWarning } from './blocks/leak-messages';
import type { SubjectRenderer } from './outbox-sender';

/** Draws a leak's threaded warning (`LEAK-n`) from what the database says now, so a late warning is never stale. */
export function leakRenderer(store: Store, leaks: LeakRepository): SubjectRenderer {
  return {
    threadReply(subject, payload) {
      const leak = leaks.get(parseRef(subject)?.id ?? 0);
      const sighting = leaks.sighting(Number(payload.sightingId));
      if (!leak || !sighting || sighting.leakId !== leak.id) return null;
      const incident = leak.incidentId === null ? null : store.incidents.get(leak.incidentId);
      return { channelId: sighting.channelId, threadTs: sighting.threadTs, ...leakWarning(leak, sighting, incident) };
    },
  };
}
