#!/usr/bin/env node
// Runs the compiled bot (`npm run build` writes dist/). Plain JavaScript, so that a Node too old for the bot gets a
// sentence instead of a syntax error: the version check is its own small file, loaded before anything else.
const dist = new URL('../dist/', import.meta.url);

let support;
try {
  support = await import(new URL('node-support.js', dist).href);
} catch (error) {
  if (error && error.code === 'ERR_MODULE_NOT_FOUND') {
    process.stderr.write('paykore-bot is not built yet: run `npm run build` first (it writes dist/).\n');
    process.exit(1);
  }
  throw error;
}

const judged = support.nodeSupport(process.versions.node);
if (judged.verdict === 'refused') {
  process.stderr.write(`${judged.message}\n`);
  process.exit(1);
}
// Only `start` warns: the other commands' output is read by scripts, and a warning there would break them.
if (judged.verdict === 'end-of-life' && process.argv[2] === 'start') process.stderr.write(`${judged.message}\n`);

await import(new URL('paykore-bot.js', dist).href);
