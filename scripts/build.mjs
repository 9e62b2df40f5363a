// npm run build: compiles the TypeScript sources to JavaScript in dist/, which `npm start`, the `paykore-bot` bin and
// the container run with plain node. One bundle per entry point, with the packages in node_modules left as imports,
// so production needs no TypeScript tooling and starts by reading a handful of files instead of a hundred.
import { rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = new URL('../', import.meta.url);

/** The entry points, by the name of the file each becomes in dist/. The worker's name is the one the bot loads. */
export const ENTRIES = {
  'paykore-bot': 'src/cli/bin.ts',
  'node-support': 'src/runtime/node-support.ts',
  'export-worker': 'src/app/export-worker.ts',
};

/** Writes the bundles to `outdir` (dist/ unless told otherwise) and returns its path. */
export async function buildBot(outdir = fileURLToPath(new URL('dist/', root))) {
  await rm(outdir, { recursive: true, force: true });
  await build({
    absWorkingDir: fileURLToPath(root),
    entryPoints: Object.fromEntries(Object.entries(ENTRIES)),
    outdir,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    sourcemap: 'linked',
    logLevel: 'warning',
  });
  return outdir;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await buildBot(process.argv[2]);
