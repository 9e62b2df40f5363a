import type { SignalService } from '../app/signal-service';
import type { Store } from '../app/store';
import type { LeakRepository } from '../db/leak-repository';
import { secretInSignalWarning, spikeWarning } from './blocks/signal-messages';
import type { SubjectRenderer } from './outbox-sender';

const idOf = (subject: string): number => Number(subject.slice(subject.indexOf('-') + 1));

/** Draws a spike's warning (`SIG-n`) from what the database says now: a late warning is never stale. */
export function signalRenderer(store: Store, signals: SignalService): SubjectRenderer {
  return {
    card(subject) {
      const spike = signals.get(idOf(subject));
      if (!spike || spike.routedIncidentId !== null) return null;
      const incident = spike.incidentId === null ? null : store.incidents.get(spike.incidentId);
      return {
        channelId: spike.channelId,
        ...spikeWarning(spike, incident),
        ts: spike.cardTs,
        saveTs: (ts) => signals.saveCardTs(spike.id, ts),
      };
    },
  };
}

/** Draws the warning for a secret key sent to the intake (`SIGLEAK-<sighting>`): posted once, never redrawn. */
export function signalLeakRenderer(store: Store, leaks: LeakRepository): SubjectRenderer {
  return {
    card(subject) {
      const sighting = leaks.sighting(idOf(subject));
      const leak = sighting ? leaks.get(sighting.leakId) : null;
      if (!sighting || !leak || sighting.source !== 'signal') return null;
      const incident = leak.incidentId === null ? null : store.incidents.get(leak.incidentId);
      return { channelId: sighting.channelId, ...secretInSignalWarning(leak, incident), ts: null, saveTs: () => {} };
    },
  };
}
