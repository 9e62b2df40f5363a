import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

// src/domain is pure: Slack, SQL, and I/O belong to the adapters around it (node:crypto is allowed).
const DOMAIN_DIR = join(import.meta.dirname, '..', '..', 'src', 'domain');
const FORBIDDEN = [
  /^@slack\//,
  /^better-sqlite3$/,
  /^(node:)?(fs|fs\/promises|net|http|https|http2|tls|dgram|dns|child_process|worker_threads|cluster)$/,
  /^(undici|ws|pino|dotenv)$/,
];
// Static imports and re-exports (possibly spread over lines), side-effect imports, dynamic imports, require.
const SPECIFIER = /\bfrom\s*['"]([^'"]+)['"]|\bimport\s*\(?\s*['"]([^'"]+)['"]|\brequire\s*\(\s*['"]([^'"]+)['"]/g;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.(ts|mts|cts|js|mjs)$/.test(entry.name) ? [path] : [];
  });
}

function importedModules(source: string): string[] {
  return [...source.matchAll(SPECIFIER)].map((m) => m[1] ?? m[2] ?? m[3] ?? '');
}

/** Why an import in `file` breaks purity, or null: a forbidden package, or a relative path that leaves domain/. */
function offence(file: string, specifier: string): string | null {
  if (FORBIDDEN.some((pattern) => pattern.test(specifier))) return 'a forbidden package';
  if (!specifier.startsWith('.')) return null;
  const target = resolve(dirname(file), specifier);
  return target === DOMAIN_DIR || target.startsWith(DOMAIN_DIR + sep) ? null : 'a path outside domain/';
}

function offences(file: string, source: string): string[] {
  return importedModules(source).flatMap((specifier) => {
    const why = offence(file, specifier);
    return why ? [`${relative(DOMAIN_DIR, file)} imports ${specifier} (${why})`] : [];
  });
}

describe('src/domain purity', () => {
  const files = sourceFiles(DOMAIN_DIR);

  it('has domain files to check', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  it('imports nothing from Slack, SQLite, the network, the file system, or the rest of src/', () => {
    const offending = files.flatMap((file) => offences(file, readFileSync(file, 'utf8')));
    expect(offending).toEqual([]);
  });

  it('catches a relative import that climbs out of domain/, however deep the file', () => {
    const top = join(DOMAIN_DIR, 'incident.ts');
    const nested = join(DOMAIN_DIR, 'keys', 'due-date.ts');
    expect(offences(top, "import { EventLog } from '../db/event-log';")).toEqual([
      'incident.ts imports ../db/event-log (a path outside domain/)',
    ]);
    expect(offences(nested, "import type { Store } from '../../app/store';")).toEqual([
      `${join('keys', 'due-date.ts')} imports ../../app/store (a path outside domain/)`,
    ]);
    // A sibling folder whose name starts like domain/ is still outside it.
    expect(offences(top, "import { x } from '../domain-helpers/x';")).toHaveLength(1);
    expect(offences(nested, "import { x } from '../types';\nimport { y } from './environment';")).toEqual([]);
    expect(offences(top, "import { z } from 'zod';")).toEqual([]);
  });

  it('recognises every import form it scans for', () => {
    const source = [
      "import { App } from '@slack/bolt';",
      "import type {\n  Database,\n} from 'better-sqlite3';",
      "import 'node:fs';",
      "const http = await import('node:http');",
      "const cp = require('child_process');",
      "export { x } from './local';",
    ].join('\n');
    expect(importedModules(source)).toEqual([
      '@slack/bolt',
      'better-sqlite3',
      'node:fs',
      'node:http',
      'child_process',
      './local',
    ]);
  });
});
