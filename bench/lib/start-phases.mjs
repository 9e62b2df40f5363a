// bin/paykore-bot.js with a stopwatch, to see where start-up goes: node itself, registering tsx, the third-party
// packages (plain JavaScript), the bot's own TypeScript (transpiled by tsx, or read from its cache), then `start`.
// Prints one `phases {json}` line on stderr before starting; times are ms since the process began.
const phases = { nodeReady: performance.now() };
const { register } = await import('tsx/esm/api');
register();
phases.tsxRegistered = performance.now();
await Promise.all([
  import('@slack/bolt'),
  import('@slack/web-api'),
  import('better-sqlite3'),
  import('pino'),
  import('zod'),
  import('dotenv'),
]);
phases.packagesLoaded = performance.now();
await import('../../src/cli/main.ts');
phases.botModulesLoaded = performance.now();
process.stderr.write(`phases ${JSON.stringify(phases)}\n`);
await import('../../src/cli/bin.ts');
