/** The structured logger every part receives (pino's shape: fields first, message second). */
export interface Logger {
  debug(fields: object, message?: string): void;
  info(fields: object, message?: string): void;
  warn(fields: object, message?: string): void;
  error(fields: object, message?: string): void;
  child(bindings: object): Logger;
  isLevelEnabled(level: 'debug' | 'info' | 'warn' | 'error'): boolean;
}
