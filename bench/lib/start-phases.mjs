// bin/paykore-bot.js with a stopwatch, to see where start-up goes: node itself, the third-party packages the bot
// loads (Bolt by its parts as src/slack/bolt-parts.ts loads it), then the compiled bot (dist/) from reading its bundle
// to the ready line. Prints one `phases {json}` line on stderr before starting; times are ms since the process began.
import { createRequire } from 'node:module';

const phases = { nodeReady: performance.now() };
const require = createRequire(import.meta.url);
for (const part of ['App', 'receivers/HTTPReceiver', 'receivers/SocketModeReceiver'])
  require(`@slack/bolt/dist/${part}`);
await Promise.all(['@slack/web-api', 'better-sqlite3', 'pino', 'zod', 'dotenv'].map((name) => import(name)));
phases.packagesLoaded = performance.now();
process.stderr.write(`phases ${JSON.stringify(phases)}\n`);
await import('../../dist/paykore-bot.js');
