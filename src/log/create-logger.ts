import { type DestinationStream, pino } from 'pino';
import type { Logger } from '../app/logger';
import { redactText, redactValue } from './redact';

export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';

/** JSON lines on stdout (or a given stream), with every field and message passed through the redactor. */
export function createLogger(level: LogLevel, destination?: DestinationStream): Logger {
  const logger = pino(
    {
      level,
      base: { app: 'paykore-bot' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { log: (fields) => redactValue(fields) as Record<string, unknown> },
      hooks: {
        logMethod(args, method) {
          method.apply(
            this,
            args.map((arg) => (typeof arg === 'string' ? redactText(arg) : arg)) as Parameters<typeof method>,
          );
        },
      },
    },
    destination,
  );
  return logger as unknown as Logger;
}
