// bin/paykore-bot.js with a stopwatch, to see where start-up goes: node itself, registering tsx, the third-party
// packages the bot loads (plain JavaScript, Bolt by its parts as src/slack/bolt-parts.ts loads it), the bot's own
// TypeScript (transpiled by tsx, or read from its cache), then `start` up to the ready line.
// Prints one `phases {json}` line on stderr before starting; times are ms since the process began.
import { createRequire } from 'node:module';

const phases = { nodeReady: performance.now() };
const { register } = await import('tsx/esm/api');
register();
phases.tsxRegistered = performance.now();
const require = createRequire(import.meta.url);
for (const part of ['App', 'receivers/HTTPReceiver', 'receivers/SocketModeReceiver'])
  require(`@slack/bolt/dist/${part}`);
await Promise.all(['@slack/web-api', 'better-sqlite3', 'pino', 'zod', 'dotenv'].map((name) => import(name)));
phases.packagesLoaded = performance.now();
await import('../../src/cli/main.ts');
phases.botModulesLoaded = performance.now();
process.stderr.write(`phases ${JSON.stringify(phases)}\n`);
await import('../../src/cli/bin.ts');
