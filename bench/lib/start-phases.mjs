// bin/paykore-bot.js with a stopwatch, to see where start-up goes: node itself, registering tsx, the third-party
// packages the bot loads (plain JavaScript, through their public entry points as the bot does), the bot's own
// TypeScript (transpiled by tsx, or read from its cache), then `start` up to the ready line.
// Prints one `phases {json}` line on stderr before starting; times are ms since the process began.

const phases = { nodeReady: performance.now() };
const { register } = await import('tsx/esm/api');
register();
phases.tsxRegistered = performance.now();
await Promise.all(
  ['@slack/bolt', '@slack/web-api', 'better-sqlite3', 'pino', 'zod', 'dotenv'].map((name) => import(name)),
);
phases.packagesLoaded = performance.now();
await import('../../src/cli/main.ts');
phases.botModulesLoaded = performance.now();
process.stderr.write(`phases ${JSON.stringify(phases)}\n`);
await import('../../src/cli/bin.ts');
