import type { Clock } from '../app/clock';
import { keyIncidentHooks } from '../app/key-incident-hooks';
import { KeyRegisterService } from '../app/key-register-service';
import type { Logger } from '../app/logger';
import { RotationService } from '../app/rotation-service';
import type { Store } from '../app/store';
import { KeyRepository } from '../db/key-repository';
import { ReminderRepository } from '../db/reminder-repository';
import { RotationRepository } from '../db/rotation-repository';
import { reminderTask } from '../scheduler/reminder-task';
import { reminderRenderer, rotationRenderer } from '../slack/key-register-renderers';
import { reminderActions } from '../slack/listeners/actions/reminder-actions';
import { rotationActions } from '../slack/listeners/actions/rotation-actions';
import { keySubcommands } from '../slack/listeners/commands/key-subcommands';
import { rotationCreateView } from '../slack/listeners/views/rotation-views';
import type { FeatureFactory } from './feature';

export interface KeyRegisterSettings {
  rotationDays: number;
  reminderOffsetsDays: readonly number[];
  reminderChannel: string | undefined;
}

export interface KeyRegister {
  register: KeyRegisterService;
  rotations: RotationService;
  reminderRows: ReminderRepository;
  rotationRows: RotationRepository;
}

/** The key register's use-cases over one database connection (the bot, the CLI and tests build it the same way). */
export function buildKeyRegister(deps: {
  store: Store;
  clock: Clock;
  logger: Logger;
  settings: KeyRegisterSettings;
}): KeyRegister {
  const reminderRows = new ReminderRepository(deps.store.db);
  const rotationRows = new RotationRepository(deps.store.db);
  const register = new KeyRegisterService({
    store: deps.store,
    keys: new KeyRepository(deps.store.db),
    reminders: reminderRows,
    clock: deps.clock,
    logger: deps.logger,
    rotationDays: deps.settings.rotationDays,
    offsetsDays: deps.settings.reminderOffsetsDays,
    reminderChannel: deps.settings.reminderChannel ?? null,
  });
  const rotations = new RotationService({ store: deps.store, rotations: rotationRows, register, clock: deps.clock });
  return { register, rotations, reminderRows, rotationRows };
}

/**
 * The key register, its 90-day reminders and the planned rotation flow: subcommands `keys`, `keys add`,
 * `keys rotated`, `rotate`; the rotation card (`ROT`) and reminder (`REM`) messages; the reminder tick; and the
 * incident hooks that mark a leaked key compromised and register its replacement.
 */
export const keyRegisterFeature: FeatureFactory = (ctx) => {
  const built = buildKeyRegister({ store: ctx.store, clock: ctx.clock, logger: ctx.logger, settings: ctx.config });
  const { register, rotations } = built;
  ctx.incidents.addHooks(keyIncidentHooks({ store: ctx.store, register, rotations, logger: ctx.logger }));
  // ROTATION_DAYS or REMINDER_OFFSETS_DAYS may have changed since the schedule was stored.
  register.refreshScheduleIfChanged();
  return {
    feature: {
      actions: [...rotationActions({ register, rotations }), ...reminderActions(register)],
      views: [rotationCreateView(rotations)],
      subcommands: keySubcommands({ register, rotations }),
    },
    renderers: {
      ROT: rotationRenderer({ store: ctx.store, register, rotations, rotationRows: built.rotationRows }),
      REM: reminderRenderer({ register, reminders: built.reminderRows }),
    },
    tasks: [reminderTask(register)],
  };
};
