import { fieldOf } from '../domain/events/event-schemas';
import { incidentRef } from '../domain/types';
import type { IncidentHooks } from './incident-service';
import type { KeyRegisterService } from './key-register-service';
import type { Logger } from './logger';
import type { RotationService } from './rotation-service';
import type { Store } from './store';

/**
 * Where incidents meet the key register, inside the incident's own transaction: opening an incident on a
 * registered key marks it compromised (its reminders stop, a planned rotation of it is called off), and the
 * redeploy step registers the new key as active in the same environment.
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
  return {
    keyModeOf(keyLabel) {
      const key = deps.register.findByLabel(keyLabel);
      return key && key.kind === 'secret' ? key.mode : null;
    },
    onOpened(incident, now) {
      guarded('onOpened', () => {
        const key = deps.register.findByLabel(incident.keyLabel);
        if (!key || key.status === 'revoked' || key.status === 'compromised') return;
        const ref = incidentRef(incident.id);
        deps.rotations.cancelForCompromise(key, incident.openedBy, now, ref);
        deps.register.compromise(key, incident.openedBy, now, { incident: ref });
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
