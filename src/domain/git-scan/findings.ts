// One finding per distinct secret key in a repository's history, built as added lines stream past. The full key
// is fingerprinted the moment it is found and dropped: a finding holds the mode, the last four characters and the
// keyed fingerprint, never the key.

import { findSecretKeys, maskKey, redactSecretKeys, type SecretKeyMode } from '../key-detector';
import type { AddedLine, CommitMeta } from './git-log-parser';

export interface Location {
  path: string;
  line: number;
}

export interface RegisteredMatch {
  label: string;
  environment: string;
  status: string;
}

export interface KnownLeakMatch {
  leak: string;
  incident: string | null;
}

export interface KeyFinding {
  mode: SecretKeyMode;
  last4: string;
  fingerprint: string;
  /** The commit that added it with the earliest author date; null for a staged (not yet committed) key. */
  firstCommit: CommitMeta | null;
  firstLocation: Location;
  /** Every path an added line holding it was in, sorted. */
  paths: string[];
  /** How many commits add a line holding it. */
  commitCount: number;
  /** Where it is in HEAD's tree; empty when it was removed (it is still in history). */
  headLocations: Location[];
  registered: RegisteredMatch | null;
  knownLeak: KnownLeakMatch | null;
}

interface Building {
  mode: SecretKeyMode;
  last4: string;
  fingerprint: string;
  firstCommit: CommitMeta | null;
  firstLocation: Location;
  paths: Set<string>;
  commitCount: number;
  lastCommit: string | null;
  headLocations: Location[];
}

/** A key in an added line, as a caller that must say where it is sees it (the staged-diff guard). */
export interface KeySighting {
  mode: SecretKeyMode;
  last4: string;
  fingerprint: string;
  path: string;
  line: number;
}

// Most lines hold no key; the cheap test keeps the detector's regex off them.
const mayHoldKey = (text: string): boolean => text.includes('sk_');

/**
 * Collects findings from added lines. Earliest means the earliest author date (the soonest the key could have
 * left a laptop), then the earliest commit date; among equals the commit seen last, which Git lists after its
 * descendants.
 */
export class FindingsCollector {
  private readonly byFingerprint = new Map<string, Building>();
  private commits = 0;

  constructor(private readonly fingerprint: (key: string) => string) {}

  get scannedCommits(): number {
    return this.commits;
  }

  commit(_meta: CommitMeta): void {
    this.commits += 1;
  }

  /** The keys on one added line (usually none), each recorded against its finding. */
  added(line: AddedLine): KeySighting[] {
    if (!mayHoldKey(line.text)) return [];
    return findSecretKeys(line.text).map((key) => {
      const fingerprint = this.fingerprint(key.key);
      // A file name or an author can hold a key too: only masks leave the collector.
      const location = { path: redactSecretKeys(line.path), line: line.line };
      const current = this.byFingerprint.get(fingerprint);
      if (!current) {
        this.byFingerprint.set(fingerprint, {
          mode: key.mode,
          last4: key.last4,
          fingerprint,
          firstCommit: line.commit && redactCommit(line.commit),
          firstLocation: location,
          paths: new Set([location.path]),
          commitCount: line.commit ? 1 : 0,
          lastCommit: line.commit?.sha ?? null,
          headLocations: [],
        });
      } else {
        current.paths.add(location.path);
        if (line.commit && line.commit.sha !== current.lastCommit) {
          current.commitCount += 1;
          current.lastCommit = line.commit.sha;
        }
        if (line.commit && (current.firstCommit === null || notLater(line.commit, current.firstCommit))) {
          current.firstCommit = redactCommit(line.commit);
          current.firstLocation = location;
        }
      }
      return { mode: key.mode, last4: key.last4, fingerprint, ...location };
    });
  }

  /** A line of HEAD's tree: keys found in history are marked as still there. */
  atHead(path: string, line: number, text: string): void {
    if (!mayHoldKey(text)) return;
    for (const key of findSecretKeys(text)) {
      const found = this.byFingerprint.get(this.fingerprint(key.key));
      const where = { path: redactSecretKeys(path), line };
      if (found && !found.headLocations.some((l) => l.path === where.path && l.line === line)) {
        found.headLocations.push(where);
      }
    }
  }

  findings(): KeyFinding[] {
    return [...this.byFingerprint.values()]
      .map(
        (b): KeyFinding => ({
          mode: b.mode,
          last4: b.last4,
          fingerprint: b.fingerprint,
          firstCommit: b.firstCommit,
          firstLocation: b.firstLocation,
          paths: [...b.paths].sort(),
          commitCount: b.commitCount,
          headLocations: [...b.headLocations].sort((x, y) => x.path.localeCompare(y.path) || x.line - y.line),
          registered: null,
          knownLeak: null,
        }),
      )
      .sort(byFirstSeen);
  }
}

function redactCommit(commit: CommitMeta): CommitMeta {
  return {
    ...commit,
    authorName: redactSecretKeys(commit.authorName),
    authorEmail: redactSecretKeys(commit.authorEmail),
  };
}

function notLater(candidate: CommitMeta, current: CommitMeta): boolean {
  if (candidate.authoredAt !== current.authoredAt) return candidate.authoredAt < current.authoredAt;
  return candidate.committedAt <= current.committedAt;
}

function byFirstSeen(a: KeyFinding, b: KeyFinding): number {
  const at = (f: KeyFinding) => f.firstCommit?.authoredAt ?? Number.MAX_SAFE_INTEGER;
  return at(a) - at(b) || a.fingerprint.localeCompare(b.fingerprint);
}

export function maskedFinding(f: Pick<KeyFinding, 'mode' | 'last4'>): string {
  return maskKey(f);
}
