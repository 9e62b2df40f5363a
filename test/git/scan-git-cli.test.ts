import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { ExportService } from '../../src/app/export-service';
import { LeakService } from '../../src/app/leak-service';
import { runCli } from '../../src/cli/main';
import { LeakRepository } from '../../src/db/leak-repository';
import { findSecretKeys } from '../../src/domain/key-detector';
import { openRegister, tempDatabase } from '../app/key-register-fixture';
import { fakeSecretKey, maskOf, randomBase62 } from '../support/fake-keys';
import { TestRepo } from '../support/git-repo';
import { testClock } from '../support/test-clock';

const NOW = Date.UTC(2026, 5, 1, 12);
const CHANNEL = 'C0KEYS0001';
const SIGNALS = 'C0SIGNALS1';

function io() {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    text: () => out.join(''),
    errors: () => err.join(''),
    io: { out: (text: string) => out.push(text), err: (text: string) => err.push(text) },
  };
}

const keys = {
  removed: fakeSecretKey('live'),
  deletedFile: fakeSecretKey('live'),
  atHead: fakeSecretKey('live'),
  test: fakeSecretKey('test'),
  branch: fakeSecretKey('live'),
  merge: fakeSecretKey('live'),
};
const ALL_KEYS = Object.values(keys);
const last4 = (key: string) => key.slice(-4);

interface History {
  repo: TestRepo;
  c1: string;
  c2: string;
  c3: string;
  c5: string;
  c6: string;
  branch: string;
  merge: string;
}

/** The history every scenario of the issue lives in, built once with real `git`. */
function buildHistory(): History {
  const repo = new TestRepo();
  repo.write(
    'config/app.env',
    [
      `PAYKORE_SECRET=${keys.removed}`,
      'PLACEHOLDER=sk_live_XXXXXXXXXXXXXXXXXXXXXXXXXXXX',
      'DOCS=sk_test_your_key_here_replaceme_1234567',
      `PUBLISHABLE=pk_live_${randomBase62(28)}`,
      '',
    ].join('\n'),
  );
  repo.write('README.md', 'Set PAYKORE_SECRET to your sk_live_… key (never commit it).\n');
  const c1 = repo.commit('add config');
  repo.write('config/app.env', 'PAYKORE_SECRET=$PAYKORE_SECRET\n');
  const c2 = repo.commit('read the key from the environment');
  repo.write('old/secret.txt', `key: ${keys.deletedFile}\n`);
  const c3 = repo.commit('notes');
  repo.remove('old/secret.txt');
  repo.commit('drop notes');
  repo.write('src/settings.ts', `export const a = 1;\nexport const key = '${keys.atHead}';\n`);
  repo.write('test/fixture.json', `{"key": "${keys.test}", "again": "${keys.test}"}\n`);
  const c5 = repo.commit('settings');
  repo.git(['mv', 'src/settings.ts', 'src/config.ts']);
  const c6 = repo.commit('rename settings');
  repo.git(['checkout', '-q', '-b', 'feature']);
  repo.write('feature.txt', `try ${keys.branch}\n`);
  const branch = repo.commit('experiment, never merged');
  repo.git(['checkout', '-q', 'main']);
  repo.write('merge.txt', 'base\n');
  repo.commit('merge base');
  repo.git(['checkout', '-q', '-b', 'topic']);
  repo.write('merge.txt', 'topic\n');
  repo.commit('topic side');
  repo.git(['checkout', '-q', 'main']);
  repo.write('merge.txt', 'main\n');
  repo.commit('main side');
  try {
    repo.git(['merge', '-q', 'topic']);
  } catch {
    // The conflict is the point: the key arrives in the resolution.
  }
  repo.write('merge.txt', `main\ntopic\nKEY=${keys.merge}\n`);
  const merge = repo.commit('merge topic');
  return { repo, c1, c2, c3, c5, c6, branch, merge };
}

/** Field names and value kinds, recursively: what a contract fixes. */
function shape(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(shape);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .map(([k, v]) => [k, shape(v)])
        .sort(([a], [b]) => String(a).localeCompare(String(b))),
    );
  }
  return value === null ? 'null' : typeof value;
}

interface JsonFinding {
  mode: string;
  last4: string;
  masked: string;
  fingerprint: string;
  firstCommit: { sha: string; author: { name: string; email: string }; authoredAt: string; committedAt: string };
  firstLocation: { path: string; line: number };
  paths: string[];
  commitCount: number;
  stillAtHead: boolean;
  headLocations: { path: string; line: number }[];
  registeredKey: { label: string; environment: string; status: string } | null;
  knownLeak: { leak: string; incident: string | null } | null;
}

describe('paykore-bot scan-git on a real repository', () => {
  let history: History;
  let db: ReturnType<typeof tempDatabase>;
  const outputs: string[] = [];

  beforeAll(() => {
    history = buildHistory();
  });
  afterAll(() => {
    // The canary: no key of the history appears in anything the command wrote, or in the database.
    const dbBytes = readdirSync(join(db.path, '..'))
      .map((file) => readFileSync(join(db.path, '..', file)).toString('latin1'))
      .join('');
    for (const key of ALL_KEYS) {
      for (const text of [...outputs, dbBytes]) expect(text.includes(key)).toBe(false);
      expect(dbBytes.includes(key.slice(8))).toBe(false);
    }
    history.repo.cleanup();
  });
  beforeEach(() => {
    db = tempDatabase();
    vi.stubEnv('DATABASE_PATH', db.path);
    vi.stubEnv('REMINDER_CHANNEL', '');
    vi.stubEnv('SIGNALS_CHANNEL', SIGNALS);
  });
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  async function scan(args: string[]) {
    const run = io();
    const code = await runCli(['scan-git', history.repo.dir, ...args], run.io);
    outputs.push(run.text(), run.errors());
    return { code, ...run };
  }

  function prepareDatabase(work?: (p: ReturnType<typeof openRegister>) => void) {
    const p = openRegister(db.path, testClock(NOW).clock);
    work?.(p);
    p.close();
  }

  it('finds every key once, with its first commit, paths, commit count and HEAD status', async () => {
    prepareDatabase();
    const { code, text } = await scan(['--format', 'json', '--quiet']);
    expect(code).toBe(1);
    const report = JSON.parse(text()) as {
      version: number;
      head: string;
      scannedCommits: number;
      findings: JsonFinding[];
    };
    expect(report.version).toBe(1);
    expect(report.head).toBe(history.merge);
    expect(report.scannedCommits).toBe(11);
    const by = (key: string) => {
      const found = report.findings.filter((f) => f.last4 === last4(key));
      expect(found).toHaveLength(1);
      return found[0] as JsonFinding;
    };
    expect(report.findings).toHaveLength(6);
    const { repo } = history;

    const removed = by(keys.removed);
    expect(removed).toMatchObject({
      mode: 'live',
      masked: maskOf(keys.removed),
      firstCommit: {
        sha: history.c1,
        author: { name: 'Ana Author', email: 'ana@example.test' },
        authoredAt: new Date(repo.authorDate(history.c1)).toISOString(),
        committedAt: new Date(repo.authorDate(history.c1) + 300_000).toISOString(),
      },
      firstLocation: { path: 'config/app.env', line: 1 },
      paths: ['config/app.env'],
      commitCount: 1,
      stillAtHead: false,
      headLocations: [],
      registeredKey: null,
      knownLeak: null,
    });
    expect(removed.fingerprint).toMatch(/^[0-9a-f]{64}$/);

    expect(by(keys.deletedFile)).toMatchObject({
      firstCommit: { sha: history.c3 },
      paths: ['old/secret.txt'],
      commitCount: 1,
      stillAtHead: false,
    });
    // Renamed: both names, two commits that add it, still there under the new name.
    expect(by(keys.atHead)).toMatchObject({
      firstCommit: { sha: history.c5 },
      firstLocation: { path: 'src/settings.ts', line: 2 },
      paths: ['src/config.ts', 'src/settings.ts'],
      commitCount: 2,
      stillAtHead: true,
      headLocations: [{ path: 'src/config.ts', line: 2 }],
    });
    expect(by(keys.test)).toMatchObject({
      mode: 'test',
      paths: ['test/fixture.json'],
      commitCount: 1,
      headLocations: [{ path: 'test/fixture.json', line: 1 }],
    });
    expect(by(keys.branch)).toMatchObject({
      firstCommit: { sha: history.branch },
      paths: ['feature.txt'],
      stillAtHead: false,
    });
    expect(by(keys.merge)).toMatchObject({
      firstCommit: { sha: history.merge },
      firstLocation: { path: 'merge.txt', line: 3 },
      commitCount: 1,
      headLocations: [{ path: 'merge.txt', line: 3 }],
    });
    // The documented example has exactly the shape of real output (docs/scan-git.md is a contract).
    const example = JSON.parse(readFileSync(join(import.meta.dirname, '../../docs/examples/scan-git.json'), 'utf8'));
    const keysOf = (o: object) => Object.keys(o).sort();
    expect(keysOf(example)).toEqual(keysOf(report));
    for (const f of example.findings) {
      expect(keysOf(f)).toEqual(keysOf(removed));
      expect(shape(f.firstCommit)).toEqual(shape(removed.firstCommit));
      expect(shape(f.firstLocation)).toEqual(shape(removed.firstLocation));
    }
    expect(shape(example.findings[1].knownLeak)).toEqual({ incident: 'string', leak: 'string' });
    // Placeholders, docs and publishable keys are never findings.
    for (const f of report.findings) expect(f.firstLocation.path).not.toBe('README.md');
  });

  it('says which keys the register and the leak record already know', async () => {
    prepareDatabase((p) => {
      p.register.register({
        label: 'api-production',
        actor: 'U0RESP0001',
        idempotencyKey: 'reg',
        environment: 'production',
        last4: last4(keys.atHead),
      });
      const leaks = new LeakService({
        store: p.store,
        leaks: new LeakRepository(p.db),
        incidents: p.incidents,
        clock: testClock(NOW).clock,
        randomBytes,
      });
      leaks.recordMessage({
        channelId: CHANNEL,
        messageTs: '1700000000.000100',
        threadTs: '1700000000.000100',
        poster: 'U0POSTER01',
        exposedAt: NOW,
        eventId: 'Ev1',
        keys: findSecretKeys(`oops ${keys.removed}`),
      });
    });
    const { code, text } = await scan(['--format', 'json', '--quiet']);
    expect(code).toBe(1);
    const findings = (JSON.parse(text()) as { findings: JsonFinding[] }).findings;
    const atHead = findings.find((f) => f.last4 === last4(keys.atHead));
    expect(atHead?.registeredKey).toEqual({ label: 'api-production', environment: 'production', status: 'active' });
    expect(atHead?.knownLeak).toBeNull();
    expect(findings.find((f) => f.last4 === last4(keys.removed))?.knownLeak).toEqual({
      leak: 'LEAK-1',
      incident: null,
    });
  });

  it('prints text with masks, and SARIF 2.1.0 with one result per key at its first location', async () => {
    prepareDatabase();
    const text = await scan([]);
    expect(text.code).toBe(1);
    expect(text.text()).toContain('Found 6 PayKore secret keys');
    expect(text.text()).toContain(maskOf(keys.merge));
    expect(text.text()).toContain('removed from HEAD, still in history');
    expect(text.text()).toContain('still in HEAD at src/config.ts:2');

    const sarif = await scan(['--format', 'sarif']);
    expect(sarif.code).toBe(1);
    const doc = JSON.parse(sarif.text()) as {
      version: string;
      runs: {
        tool: { driver: { rules: { id: string }[] } };
        results: {
          ruleId: string;
          locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[];
        }[];
      }[];
    };
    expect(doc.version).toBe('2.1.0');
    const run = doc.runs[0];
    expect(run?.tool.driver.rules.map((r) => r.id)).toEqual(['paykore-secret-key']);
    expect(run?.results).toHaveLength(6);
    expect(run?.results.every((r) => r.ruleId === 'paykore-secret-key')).toBe(true);
    const locations = run?.results.map((r) => r.locations[0]?.physicalLocation);
    expect(locations).toContainEqual({ artifactLocation: { uri: 'merge.txt' }, region: { startLine: 3 } });
    expect(locations).toContainEqual({ artifactLocation: { uri: 'src/settings.ts' }, region: { startLine: 2 } });
  });

  it('writes a baseline of fingerprints only, and a scan with it exits 0', async () => {
    prepareDatabase();
    const file = join(db.path, '..', 'baseline.txt');
    const written = await scan(['--write-baseline', file, '--quiet']);
    expect(written.code).toBe(0);
    const baseline = readFileSync(file, 'utf8');
    outputs.push(baseline);
    expect(baseline.split('\n').filter((l) => /^[0-9a-f]{64}/.test(l))).toHaveLength(6);
    const clean = await scan(['--baseline', file]);
    expect(clean.code).toBe(0);
    expect(clean.text()).toContain('No PayKore secret key found');
    expect(clean.text()).toContain('6 more ignored');

    // Accept only the test key: the rest are still findings.
    const testFingerprint = baseline.split('\n').find((l) => l.includes(`sk_test_\u2026${last4(keys.test)}`));
    writeFileSync(file, `${testFingerprint}\n`);
    const partial = await scan(['--baseline', file, '--format', 'json']);
    expect(partial.code).toBe(1);
    expect((JSON.parse(partial.text()) as { findings: unknown[] }).findings).toHaveLength(5);
  });

  it('refuses a baseline that is not fingerprints, and one holding a key, without echoing it', async () => {
    prepareDatabase();
    const file = join(db.path, '..', 'bad-baseline.txt');
    writeFileSync(file, 'not-a-fingerprint\n');
    const bad = await scan(['--baseline', file]);
    expect(bad.code).toBe(2);
    expect(bad.errors()).toContain('line 1 of the baseline is not a fingerprint');
    const canary = fakeSecretKey('live');
    writeFileSync(file, `${canary}\n`);
    const withKey = await scan(['--baseline', file]);
    expect(withKey.code).toBe(2);
    expect(withKey.errors()).toContain('holds a secret key');
    expect(withKey.errors()).not.toContain(canary);
  });

  it('--since scans only commits after a revision', async () => {
    prepareDatabase();
    const { code, text } = await scan(['--since', history.c5, '--format', 'json', '--quiet']);
    expect(code).toBe(1);
    const report = JSON.parse(text()) as { since: string; findings: JsonFinding[] };
    expect(report.since).toBe(history.c5);
    expect(report.findings.map((f) => f.last4).sort()).toEqual(
      [last4(keys.atHead), last4(keys.branch), last4(keys.merge)].sort(),
    );
    // Only the rename commit is in range: that is where this scan first sees the key.
    expect(report.findings.find((f) => f.last4 === last4(keys.atHead))?.firstCommit.sha).toBe(history.c6);
  });

  it('exits 2 with a sentence for a folder that is not a repository, an unknown revision, or no git', async () => {
    prepareDatabase();
    const notRepo = io();
    expect(await runCli(['scan-git', join(db.path, '..')], notRepo.io)).toBe(2);
    expect(notRepo.errors()).toContain('is not a Git repository.');
    const unknown = await scan(['--since', 'no-such-branch']);
    expect(unknown.code).toBe(2);
    expect(unknown.errors()).toBe(`Unknown revision "no-such-branch" in ${history.repo.dir}.\n`);
    const canary = fakeSecretKey('live');
    const keyAsRev = await scan(['--since', canary]);
    expect(keyAsRev.code).toBe(2);
    expect(keyAsRev.errors()).not.toContain(canary);
    const option = await scan(['--since', '--all']);
    expect(option.code).toBe(2);
    const format = await scan(['--format', 'xml']);
    expect(format.code).toBe(2);
    expect(format.errors()).toContain('--format takes text, json or sarif.');
    vi.stubEnv('PATH', join(db.path, '..'));
    const noGit = await scan([]);
    expect(noGit.code).toBe(2);
    expect(noGit.errors()).toBe('The `git` command was not found: install Git or put it on PATH.\n');
  });

  it('exits 2 without a database, and changes nothing', async () => {
    const { code, errors } = await scan([]);
    expect(code).toBe(2);
    expect(errors()).toContain('There is no database at DATABASE_PATH');
    expect(existsSync(db.path)).toBe(false);
  });

  it('exits 0 on a repository with no key, and on one with no commits', async () => {
    prepareDatabase();
    const clean = new TestRepo();
    try {
      clean.write('a.txt', 'nothing to see\n').commit('one');
      const run = io();
      expect(await runCli(['scan-git', clean.dir], run.io)).toBe(0);
      expect(run.text()).toContain('No PayKore secret key found');
      const empty = new TestRepo();
      const none = io();
      expect(await runCli(['scan-git', empty.dir], none.io)).toBe(0);
      empty.cleanup();
    } finally {
      clean.cleanup();
    }
  });

  it('--post warns once per new key, records Git sightings on known leaks, and the incident starts at the commit', async () => {
    let leakService: LeakService | null = null;
    prepareDatabase((p) => {
      new LeakService({
        store: p.store,
        leaks: new LeakRepository(p.db),
        incidents: p.incidents,
        clock: testClock(NOW).clock,
        randomBytes,
      }).recordMessage({
        channelId: CHANNEL,
        messageTs: '1700000000.000100',
        threadTs: '1700000000.000100',
        poster: 'U0POSTER01',
        exposedAt: NOW,
        eventId: 'Ev1',
        keys: findSecretKeys(`oops ${keys.removed}`),
      });
    });
    const first = await scan(['--post', '--quiet']);
    expect(first.code).toBe(1);
    expect(first.errors()).toContain('Posted 5 new key warnings');
    expect(first.errors()).toContain('1 already known');
    const again = await scan(['--post', '--quiet']);
    expect(again.errors()).toContain('Posted 0 new key warnings');

    const p = openRegister(db.path, testClock(NOW).clock);
    try {
      const posts = p.db
        .prepare("SELECT channel_id, subject, payload FROM outbox WHERE kind = 'post' ORDER BY id")
        .all() as { channel_id: string; subject: string; payload: string }[];
      expect(posts).toHaveLength(5);
      outputs.push(...posts.map((row) => row.payload));
      expect(posts.every((row) => row.channel_id === SIGNALS)).toBe(true);
      const mergePost = posts.find((row) => row.payload.includes(last4(keys.merge)));
      expect(mergePost?.payload).toContain('Still in HEAD');
      expect(mergePost?.payload).toContain('leak_open_incident');
      const branchPost = posts.find((row) => row.payload.includes(last4(keys.branch)));
      expect(branchPost?.payload).toContain('Removed from HEAD, still in history');

      const leaks = new LeakRepository(p.db);
      leakService = new LeakService({
        store: p.store,
        leaks,
        incidents: p.incidents,
        clock: testClock(NOW).clock,
        randomBytes,
      });
      const leakId = Number(branchPost?.subject.slice('LEAK-'.length));
      const opened = leakService.openIncident({ leakId, channelId: SIGNALS, actor: 'U0RESP0001' });
      expect(opened.kind).toBe('opened');
      if (opened.kind !== 'opened') return;
      expect(opened.incident.exposureStart).toBe(history.repo.authorDate(history.branch));
      expect(opened.incident.how).toContain(history.repo.dir);
      expect(opened.incident.how).toContain(history.branch);
      expect(opened.incident.how).toContain('feature.txt');
      const exported = new ExportService({ store: p.store, clock: testClock(NOW).clock, displayTimeZone: 'UTC' });
      const file = exported.exportIncident(opened.incident.id, 'markdown');
      const content = String(file?.file.content ?? '');
      outputs.push(content);
      expect(content).toContain(history.branch);
      expect(content).toContain('feature.txt');
      // The key first seen in Slack got a Git sighting with where it was found, and no second warning.
      const sightings = p.db
        .prepare('SELECT source, location FROM leak_sightings WHERE leak_id = 1 ORDER BY id')
        .all() as { source: string; location: string | null }[];
      expect(sightings.map((s) => s.source)).toEqual(['message', 'git']);
      expect(sightings[1]?.location).toContain(`${history.c1}: config/app.env`);
    } finally {
      p.close();
    }
  });
});
