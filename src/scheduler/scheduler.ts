import type { Logger } from '../app/logger';

/** One thing the tick asks about: what is due now (nudges, reminders). Returns how many messages it queued. */
export interface ScheduledTask {
  name: string;
  run(): number;
}

/**
 * Reminders are data, not timers: every tick asks the use-cases what is due at the injected clock's now, so a
 * restart loses nothing and tests drive time by calling `tick()`.
 */
export class Scheduler {
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly tasks: ScheduledTask[],
    private readonly afterTick: () => void,
    private readonly logger: Logger,
  ) {}

  tick(): number {
    let queued = 0;
    for (const task of this.tasks) {
      try {
        queued += task.run();
      } catch (error) {
        this.logger.error({ task: task.name, error }, 'scheduled task failed; next tick retries');
      }
    }
    if (queued > 0) this.afterTick();
    return queued;
  }

  start(intervalMs: number): void {
    this.stop();
    this.timer = setInterval(() => this.tick(), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
