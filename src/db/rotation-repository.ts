import type { Database, Statement } from 'better-sqlite3';
import type { NewRotation, Rotation, RotationStatus, StepMark } from '../domain/rotation/rotation';
import type { RotationStep } from '../domain/rotation/rotation-steps';

interface RotationRow {
  id: number;
  key_id: number;
  old_label: string;
  new_label: string | null;
  new_key_id: number | null;
  channel_id: string;
  started_by: string;
  started_at: number;
  status: RotationStatus;
  card_ts: string | null;
}

interface StepRow {
  step: RotationStep;
  done_at: number;
  done_by: string;
}

/** Planned rotations and their steps: the one place rows become Rotations. */
export class RotationRepository {
  private readonly insertRow: Statement;
  private readonly byId: Statement<{ id: number }, RotationRow>;
  private readonly byStartKey: Statement<{ startKey: string }, RotationRow>;
  private readonly openOfKey: Statement<{ keyId: number }, RotationRow>;
  private readonly stepsOf: Statement<{ id: number }, StepRow>;
  private readonly insertStep: Statement;
  private readonly updateRow: Statement;
  private readonly cardTs: Statement;

  constructor(db: Database) {
    this.insertRow = db.prepare(
      `INSERT INTO rotations (key_id, old_label, new_label, channel_id, started_by, started_at, status, start_key)
       VALUES (@keyId, @oldLabel, @newLabel, @channelId, @startedBy, @startedAt, @status, @startKey)`,
    );
    this.byId = db.prepare('SELECT * FROM rotations WHERE id = @id');
    this.byStartKey = db.prepare('SELECT * FROM rotations WHERE start_key = @startKey');
    this.openOfKey = db.prepare("SELECT * FROM rotations WHERE key_id = @keyId AND status = 'in_progress'");
    this.stepsOf = db.prepare('SELECT step, done_at, done_by FROM rotation_steps WHERE rotation_id = @id');
    this.insertStep = db.prepare(
      'INSERT INTO rotation_steps (rotation_id, step, done_at, done_by) VALUES (@id, @step, @at, @by)',
    );
    this.updateRow = db.prepare(
      'UPDATE rotations SET new_label = @newLabel, status = @status, new_key_id = @newKeyId WHERE id = @id',
    );
    this.cardTs = db.prepare('UPDATE rotations SET card_ts = @ts WHERE id = @id');
  }

  insert(rotation: NewRotation, startKey: string): number {
    return Number(this.insertRow.run({ ...rotation, startKey }).lastInsertRowid);
  }

  get(id: number): Rotation | null {
    const row = this.byId.get({ id });
    return row ? this.toRotation(row) : null;
  }

  findByStartKey(startKey: string): Rotation | null {
    const row = this.byStartKey.get({ startKey });
    return row ? this.toRotation(row) : null;
  }

  openForKey(keyId: number): Rotation | null {
    const row = this.openOfKey.get({ keyId });
    return row ? this.toRotation(row) : null;
  }

  /** The key the finished rotation registered, once it is done. */
  newKeyId(id: number): number | null {
    return this.byId.get({ id })?.new_key_id ?? null;
  }

  recordStep(id: number, step: RotationStep, mark: StepMark): void {
    this.insertStep.run({ id, step, at: mark.at, by: mark.by });
  }

  update(rotation: Rotation, newKeyId: number | null = null): void {
    this.updateRow.run({ id: rotation.id, newLabel: rotation.newLabel, status: rotation.status, newKeyId });
  }

  setCardTs(id: number, ts: string): void {
    this.cardTs.run({ id, ts });
  }

  private toRotation(row: RotationRow): Rotation {
    const steps: Rotation['steps'] = {};
    for (const step of this.stepsOf.all({ id: row.id })) steps[step.step] = { at: step.done_at, by: step.done_by };
    return {
      id: row.id,
      keyId: row.key_id,
      oldLabel: row.old_label,
      newLabel: row.new_label,
      startedBy: row.started_by,
      startedAt: row.started_at,
      steps,
      status: row.status,
      channelId: row.channel_id,
      cardTs: row.card_ts,
    };
  }
}
