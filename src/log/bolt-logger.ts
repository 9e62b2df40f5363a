// From the Web API client, which re-exports Bolt's logger types: importing '@slack/bolt' here would load all of it.
import { LogLevel, type Logger as SlackLogger } from '@slack/web-api';
import type { Logger } from '../app/logger';

const toText = (parts: unknown[]) =>
  parts
    .map((part) => (typeof part === 'string' ? part : part instanceof Error ? part.message : JSON.stringify(part)))
    .join(' ');

/** Bolt and the Web API client log through our logger, so their lines are redacted too. */
export function boltLogger(logger: Logger): SlackLogger {
  let level = logger.isLevelEnabled('debug') ? LogLevel.DEBUG : LogLevel.INFO;
  const child = logger.child({ component: 'bolt' });
  return {
    // Bolt logs whole payloads at debug level: build the text only when it will be written.
    debug: (...parts) => {
      if (child.isLevelEnabled('debug')) child.debug({}, toText(parts));
    },
    info: (...parts) => {
      if (child.isLevelEnabled('info')) child.info({}, toText(parts));
    },
    warn: (...parts) => child.warn({}, toText(parts)),
    error: (...parts) => child.error({}, toText(parts)),
    setLevel: (next) => {
      level = next;
    },
    getLevel: () => level,
    setName: () => {},
  };
}
