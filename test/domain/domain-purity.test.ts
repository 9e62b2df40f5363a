import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
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

describe('src/domain purity', () => {
  const files = sourceFiles(DOMAIN_DIR);

  it('has domain files to check', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  it('imports nothing from Slack, SQLite, the network or the file system', () => {
    const offending = files.flatMap((file) =>
      importedModules(readFileSync(file, 'utf8'))
        .filter((specifier) => FORBIDDEN.some((pattern) => pattern.test(specifier)))
        .map((specifier) => `${relative(DOMAIN_DIR, file)} imports ${specifier}`),
    );
    expect(offending).toEqual([]);
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
