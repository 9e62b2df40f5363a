// bin/paykore-bot.js with a stopwatch, to see where start-up goes: node itself, the third-party packages the bot
// loads (through their public entry points, as the bot does), then the compiled bot (dist/) from reading its bundle
// to the ready line. Prints one `phases {json}` line on stderr before starting; times are ms since the process began.

const phases = { nodeReady: performance.now() };
await Promise.all(
  ['@slack/bolt', '@slack/web-api', 'better-sqlite3', 'pino', 'zod', 'dotenv'].map((name) => import(name)),
);
phases.packagesLoaded = performance.now();
process.stderr.write(`phases ${JSON.stringify(phases)}\n`);
await import('../../dist/paykore-bot.js');
