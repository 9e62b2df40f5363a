import { createRequire } from 'node:module';
import type * as AppModule from '@slack/bolt/dist/App';
import type * as HttpModule from '@slack/bolt/dist/receivers/HTTPReceiver';
import type * as SocketModule from '@slack/bolt/dist/receivers/SocketModeReceiver';

// `@slack/bolt`'s index loads every receiver it ships, Express's among them; the bot needs App and two receivers.
// Loading only those takes a slice off start-up (BENCHMARKS.md). Bolt is CommonJS and these paths are not in an
// `exports` map, so they are required rather than imported.
const require = createRequire(import.meta.url);

export const App = (require('@slack/bolt/dist/App') as typeof AppModule).default;
export type App = AppModule.default;
export const HTTPReceiver = (require('@slack/bolt/dist/receivers/HTTPReceiver') as typeof HttpModule).default;
export type HTTPReceiver = HttpModule.default;
export const SocketModeReceiver = (require('@slack/bolt/dist/receivers/SocketModeReceiver') as typeof SocketModule)
  .default;
export type SocketModeReceiver = SocketModule.default;
