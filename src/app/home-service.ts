import type { KeyStatus, RegisteredKey } from '../domain/keys/registered-key';
import { DAY_MS } from '../domain/time';
import type { Environment, Incident } from '../domain/types';
import type { Clock } from './clock';

/** What the Home tab reads from the key register (KeyRegisterService provides both). */
export interface KeyRegisterReader {
  list(): readonly RegisteredKey[];
  dueAt(key: RegisteredKey): number;
}

export interface OpenIncidentsReader {
  listOpen(): Incident[];
}

export interface HomeKey {
  label: string;
  environment: Environment;
  status: KeyStatus;
  ownerId: string | null;
  dueAt: number;
}

/** Everything a person's Home tab shows, read at one moment. */
export interface HomeSnapshot {
  now: number;
  incidents: Incident[];
  overdueKeys: HomeKey[];
  dueSoonKeys: HomeKey[];
  horizonDays: number;
}

// Keys that still carry traffic get rotation reminders; revoked and compromised keys are done with.
const ROTATED_STATUSES: readonly KeyStatus[] = ['active', 'rotating'];

/** Reads for the App Home: open incidents, most urgent first, and keys overdue or due within the horizon. */
export class HomeService {
  private readonly horizonDays: number;

  constructor(
    private readonly options: {
      incidents: OpenIncidentsReader;
      keys: KeyRegisterReader | null;
      clock: Clock;
      horizonDays?: number;
    },
  ) {
    this.horizonDays = options.horizonDays ?? 14;
  }

  snapshot(): HomeSnapshot {
    const now = this.options.clock().getTime();
    // Still-active keys first (every minute is exposure), then oldest first.
    const incidents = [...this.options.incidents.listOpen()].sort(
      (a, b) => Number(Boolean(a.steps.revoke)) - Number(Boolean(b.steps.revoke)) || a.openedAt - b.openedAt,
    );
    const keys = (this.options.keys?.list() ?? [])
      .filter((key) => ROTATED_STATUSES.includes(key.status))
      .map((key) => ({
        label: key.label,
        environment: key.environment,
        status: key.status,
        ownerId: key.ownerId,
        dueAt: this.options.keys?.dueAt(key) ?? 0,
      }))
      .sort((a, b) => a.dueAt - b.dueAt);
    const horizon = now + this.horizonDays * DAY_MS;
    return {
      now,
      incidents,
      overdueKeys: keys.filter((key) => key.dueAt <= now),
      dueSoonKeys: keys.filter((key) => key.dueAt > now && key.dueAt <= horizon),
      horizonDays: this.horizonDays,
    };
  }
}
