import { randomBytes } from 'node:crypto';
import { fingerprintKey, newFingerprintSecretHex } from '../../src/domain/key-fingerprint';
import { scanHistory } from '../../src/git/history-scan';

// One scan in a process of its own, so its peak memory is its own: `node --import tsx git-scan-child.ts <repo>`
// prints one JSON line (no key, only counts).

const secret = newFingerprintSecretHex(randomBytes);
const rssBeforeMb = process.memoryUsage().rss / 1024 / 1024;
const started = performance.now();
const result = await scanHistory({ repo: process.argv[2] ?? '.', fingerprint: (key) => fingerprintKey(key, secret) });
const ms = performance.now() - started;
const peakRssMb = process.resourceUsage().maxRSS / 1024;
process.stdout.write(
  `${JSON.stringify({ ms, found: result.findings.length, commits: result.scannedCommits, rssBeforeMb, peakRssMb })}\n`,
);
