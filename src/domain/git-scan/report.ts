// The three output formats of `paykore-bot scan-git`. Each names a key by its mask and fingerprint only.
// The JSON shape is a contract (docs/scan-git.md): add fields, never rename or remove them without a new version.

import { maskKey } from '../key-detector';
import { isoUtc } from '../time';
import type { KeyFinding } from './findings';

export interface ScanReport {
  repository: string;
  /** HEAD's commit, or null in a repository without commits. */
  head: string | null;
  since: string | null;
  scannedCommits: number;
  findings: KeyFinding[];
  /** Keys found whose fingerprint is in the baseline: not reported. */
  ignoredByBaseline: number;
}

export const SCAN_JSON_VERSION = 1;
export const SARIF_RULE_ID = 'paykore-secret-key';

const short = (sha: string) => sha.slice(0, 12);

export function renderJson(report: ScanReport): string {
  const body = {
    version: SCAN_JSON_VERSION,
    tool: 'paykore-bot scan-git',
    repository: report.repository,
    head: report.head,
    since: report.since,
    scannedCommits: report.scannedCommits,
    ignoredByBaseline: report.ignoredByBaseline,
    findings: report.findings.map((f) => ({
      mode: f.mode,
      last4: f.last4,
      masked: maskKey(f),
      fingerprint: f.fingerprint,
      firstCommit: f.firstCommit && {
        sha: f.firstCommit.sha,
        author: { name: f.firstCommit.authorName, email: f.firstCommit.authorEmail },
        authoredAt: isoUtc(f.firstCommit.authoredAt),
        committedAt: isoUtc(f.firstCommit.committedAt),
      },
      firstLocation: f.firstLocation,
      paths: f.paths,
      commitCount: f.commitCount,
      stillAtHead: f.headLocations.length > 0,
      headLocations: f.headLocations,
      registeredKey: f.registered,
      knownLeak: f.knownLeak,
    })),
  };
  return `${JSON.stringify(body, null, 2)}\n`;
}

export function headStatus(f: Pick<KeyFinding, 'headLocations'>): string {
  return f.headLocations.length > 0 ? 'still in HEAD' : 'removed from HEAD, still in history';
}

export function renderText(report: ScanReport): string {
  const { findings } = report;
  const ignored =
    report.ignoredByBaseline > 0
      ? ` (${report.ignoredByBaseline} more ignored: their fingerprints are in the baseline)`
      : '';
  const where = `${report.repository} (${report.scannedCommits} commit${report.scannedCommits === 1 ? '' : 's'} scanned${
    report.since ? ` since ${report.since}` : ''
  })`;
  if (findings.length === 0) return `No PayKore secret key found in ${where}${ignored}.\n`;
  const blocks = findings.map((f) => {
    const c = f.firstCommit;
    const lines = [
      `${maskKey(f)}  (${f.mode} key, fingerprint ${f.fingerprint.slice(0, 16)}…)`,
      c
        ? `  first added   ${short(c.sha)} by ${c.authorName} <${c.authorEmail}>, authored ${isoUtc(c.authoredAt)}, committed ${isoUtc(c.committedAt)}`
        : '  first added   (staged, not committed)',
      `  first seen at ${f.firstLocation.path}:${f.firstLocation.line}`,
      `  paths         ${f.paths.join(', ')}`,
      `  commits       ${f.commitCount}`,
      `  HEAD          ${
        f.headLocations.length > 0
          ? `still in HEAD at ${f.headLocations.map((l) => `${l.path}:${l.line}`).join(', ')}`
          : headStatus(f)
      }`,
      `  register      ${
        f.registered
          ? `matches registered key "${f.registered.label}" (${f.registered.environment}, ${f.registered.status})`
          : 'no registered key with this mode and last four'
      }`,
      `  known leak    ${
        f.knownLeak
          ? `${f.knownLeak.leak}${f.knownLeak.incident ? `, ${f.knownLeak.incident}` : ''}`
          : 'not seen before'
      }`,
    ];
    return lines.join('\n');
  });
  const n = findings.length;
  return (
    `Found ${n} PayKore secret key${n === 1 ? '' : 's'} in ${where}${ignored}.\n` +
    'Treat each as compromised: revoke it in the PayKore dashboard (Settings → API Keys). Git history is forever: ' +
    'removing the line does not make the key safe again.\n\n' +
    `${blocks.join('\n\n')}\n`
  );
}

/** A relative path as a SARIF artifact URI: each segment percent-encoded, slashes kept. */
function uriOf(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}

/** SARIF 2.1.0: one result per key, at the first place it was added. */
export function renderSarif(report: ScanReport, toolVersion: string): string {
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'paykore-bot scan-git',
            version: toolVersion,
            rules: [
              {
                id: SARIF_RULE_ID,
                name: 'PayKoreSecretKey',
                shortDescription: { text: 'PayKore secret key committed to Git' },
                fullDescription: {
                  text: 'A PayKore secret key (sk_live_ or sk_test_) was committed. Git history is forever: revoke the key; removing it from the files does not make it safe again.',
                },
                defaultConfiguration: { level: 'error' },
                properties: { tags: ['security', 'secret'] },
              },
            ],
          },
        },
        results: report.findings.map((f) => ({
          ruleId: SARIF_RULE_ID,
          ruleIndex: 0,
          level: 'error',
          message: {
            text: `PayKore ${f.mode} secret key ${maskKey(f)} ${
              f.firstCommit
                ? `first added in commit ${short(f.firstCommit.sha)} (${isoUtc(f.firstCommit.authoredAt)})`
                : 'staged'
            }; ${headStatus(f)}. Revoke it.`,
          },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: uriOf(f.firstLocation.path) },
                region: { startLine: f.firstLocation.line },
              },
            },
          ],
          partialFingerprints: { 'paykoreKeyFingerprint/v1': f.fingerprint },
          properties: {
            mode: f.mode,
            last4: f.last4,
            commit: f.firstCommit?.sha ?? null,
            commitCount: f.commitCount,
            paths: f.paths,
            stillAtHead: f.headLocations.length > 0,
          },
        })),
      },
    ],
  };
  return `${JSON.stringify(sarif, null, 2)}\n`;
}
