import { fieldOf } from '../domain/events/event-schemas';
import { type Incident, incidentRef } from '../domain/types';
import type { IncidentHooks } from './incident-service';
import { KEYS_STREAM, type KeyRegisterService } from './key-register-service';
import type { Logger } from './logger';
import type { RotationService } from './rotation-service';
import type { Store } from './store';

/**
 * Where incidents meet the key register, inside the incident's own transaction: a responder opening an incident
 * on a registered key, or completing its first step (usually the revoke), marks it compromised (its reminders stop, a planned rotation of
 * it is called off); a `false_positive` resolution puts it back to active; the redeploy step registers the new
 * key as active in the same environment.
 */
export function keyIncidentHooks(deps: {
  store: Store;
  register: KeyRegisterService;
  rotations: RotationService;
  logger: Logger;
}): IncidentHooks {
  // The register must never block the playbook: its part runs in a savepoint, and a failure there is rolled
  // back and logged while the incident step itself still commits.
  const guarded = (hook: string, work: () => void) => {
    try {
      deps.store.db.transaction(work)();
    } catch (error) {
      deps.logger.error({ hook, error }, 'key register update for an incident failed; the incident step was kept');
    }
  };
  const compromiseFor = (incident: Incident, actor: string, now: number) => {
    guarded('compromise', () => {
      const key = deps.register.findByLabel(incident.keyLabel);
      if (!key || key.status === 'revoked' || key.status === 'compromised') return;
      const ref = incidentRef(incident.id);
      deps.rotations.cancelForCompromise(key, actor, now, ref);
      deps.register.compromise(key, actor, now, { incident: ref });
    });
  };
  return {
    keyModeOf(keyLabel) {
      const key = deps.register.findByLabel(keyLabel);
      return key && key.kind === 'secret' ? key.mode : null;
    },
    onOpened(incident, now, byResponder) {
      // Anyone may open an incident; only a responder's declaration changes the register (PRODUCT.md 8).
      if (byResponder) compromiseFor(incident, incident.openedBy, now);
    },
    onStepCompleted(incident, _step, actor, now) {
      compromiseFor(incident, actor, now);
    },
    onResolved(incident, now) {
      if (incident.resolution !== 'false_positive' || incident.drill) return;
      const actor = incident.resolvedBy ?? incident.openedBy;
      guarded('onResolved', () => {
        const key = deps.register.findByLabel(incident.keyLabel);
        if (key?.status !== 'compromised') return;
        // Only this incident's own compromise is undone: one from another incident, or by hand, stays.
        const ref = incidentRef(incident.id);
        const last = deps.store.events
          .stream(KEYS_STREAM)
          .filter((event) => fieldOf(event, 'key_status_changed', 'keyId') === key.id)
          .at(-1);
        if (!last) return;
        if (fieldOf(last, 'key_status_changed', 'incident') !== ref) return;
        if (fieldOf(last, 'key_status_changed', 'to') !== 'compromised') return;
        // A rotation it called off stays cancelled, and that left the key active: the ladder starts again there.
        deps.register.changeStatus(key, { ...key, status: 'active', snoozedUntil: null }, actor, now, {
          incident: ref,
          resolution: 'false_positive',
        });
      });
    },
    onRedeployed(incident, details, actor, now) {
      guarded('onRedeployed', () => {
        const label = fieldOf({ type: 'key_redeployed', details }, 'key_redeployed', 'newKeyLabel') ?? '';
        if (!label) return;
        const old = deps.register.findByLabel(incident.keyLabel);
        const incidentMode = incident.keyMode === 'unknown' ? undefined : incident.keyMode;
        deps.register.registerReplacement(
          {
            label,
            environment: incident.environment,
            kind: old?.kind,
            mode: old?.mode ?? incidentMode,
            ownerId: old?.ownerId ?? null,
            channelId: old?.channelId ?? null,
          },
          actor,
          now,
          { source: 'incident', incident: incidentRef(incident.id) },
        );
      });
    },
  };
}
