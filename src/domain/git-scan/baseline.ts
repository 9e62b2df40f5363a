// A baseline lists the fingerprints of keys a team has accepted (test keys in fixtures), one per line, with the
// mask as a comment for the reviewer. Never key text: a line that holds a key is refused, not read.

import { containsSecretKey, maskKey } from '../key-detector';
import { isoUtc } from '../time';
import type { KeyFinding } from './findings';

const FINGERPRINT = /^[0-9a-f]{64}$/;

export type BaselineParse = { ok: true; fingerprints: Set<string> } | { ok: false; problem: string };

export function parseBaseline(text: string): BaselineParse {
  const fingerprints = new Set<string>();
  const lines = text.split(/\r?\n/);
  for (const [index, raw] of lines.entries()) {
    if (containsSecretKey(raw)) {
      return {
        ok: false,
        problem: `line ${index + 1} of the baseline holds a secret key: a baseline lists fingerprints only. Remove the key from the file and revoke it.`,
      };
    }
    const line = raw.replace(/#.*$/, '').trim();
    if (line === '') continue;
    const token = line.split(/\s+/)[0] ?? '';
    if (!FINGERPRINT.test(token)) {
      return {
        ok: false,
        problem: `line ${index + 1} of the baseline is not a fingerprint (64 lowercase hex characters, as written by --write-baseline).`,
      };
    }
    fingerprints.add(token);
  }
  return { ok: true, fingerprints };
}

export function formatBaseline(findings: readonly KeyFinding[], fingerprints: ReadonlySet<string> = new Set()): string {
  const header = [
    '# paykore-bot scan-git baseline: fingerprints of accepted keys, one per line. Never key text.',
    "# Fingerprints are keyed with the bot database's secret: they match only scans that use the same database.",
  ];
  const seen = new Set<string>();
  const lines: string[] = [];
  for (const f of findings) {
    seen.add(f.fingerprint);
    const when = f.firstCommit
      ? ` first added in ${f.firstCommit.sha.slice(0, 12)} ${isoUtc(f.firstCommit.authoredAt)}`
      : '';
    lines.push(`${f.fingerprint}  # ${maskKey(f)}${when}`);
  }
  for (const fp of [...fingerprints].sort()) if (!seen.has(fp)) lines.push(fp);
  return `${[...header, ...lines].join('\n')}\n`;
}
