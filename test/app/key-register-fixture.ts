import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Database } from 'better-sqlite3';
import type { Clock } from '../../src/app/clock';
import { IncidentService } from '../../src/app/incident-service';
import { keyIncidentHooks } from '../../src/app/key-incident-hooks';
import type { Logger } from '../../src/app/logger';
import { createStore, type Store } from '../../src/app/store';
import { openDatabase } from '../../src/db/open-database';
import { buildKeyRegister, type KeyRegister, type KeyRegisterSettings } from '../../src/features/key-register';

/** A logger that keeps what it was told, for "warned once" assertions. */
export interface RecordingLogger extends Logger {
  lines: { level: string; fields: object; message?: string }[];
}

export function recordingLogger(): RecordingLogger {
  const lines: RecordingLogger['lines'] = [];
  const at =
    (level: string) =>
    (fields: object, message?: string): void => {
      lines.push({ level, fields, message });
    };
  const logger: RecordingLogger = {
    lines,
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    child: () => logger,
    isLevelEnabled: () => true,
  };
  return logger;
}

export const DEFAULT_SETTINGS: KeyRegisterSettings = {
  rotationDays: 90,
  reminderOffsetsDays: [14, 7, 1],
  reminderChannel: undefined,
};

/** One bot process's view of the key register: its own connection, store and services on a shared file. */
export interface RegisterProcess extends KeyRegister {
  db: Database;
  store: Store;
  incidents: IncidentService;
  logger: RecordingLogger;
  close(): void;
}

export function openRegister(path: string, clock: Clock, settings: Partial<KeyRegisterSettings> = {}): RegisterProcess {
  const db = openDatabase(path);
  const store = createStore(db);
  const logger = recordingLogger();
  const built = buildKeyRegister({ store, clock, logger, settings: { ...DEFAULT_SETTINGS, ...settings } });
  const incidents = new IncidentService({ store, clock, revokeNudgeMinutes: 5 });
  incidents.addHooks(keyIncidentHooks({ store, register: built.register, rotations: built.rotations, logger }));
  return { ...built, db, store, incidents, logger, close: () => db.close() };
}

export function tempDatabase(): { path: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'paykore-keys-'));
  return { path: join(dir, 'bot.sqlite'), remove: () => rmSync(dir, { recursive: true, force: true }) };
}
