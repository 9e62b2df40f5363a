import { describe, expect, it } from 'vitest';
import { FindingsCollector } from '../../../src/domain/git-scan/findings';
import { type AddedLine, GitLogParser, parseNewPath } from '../../../src/domain/git-scan/git-log-parser';
import { fakeSecretKey } from '../../support/fake-keys';

const SHA1 = 'a'.repeat(40);
const SHA2 = 'b'.repeat(40);
const commitLine = (sha: string, parents: string, at: string) =>
  ['', sha, parents, 'Ana', 'ana@example.test', at, at].join('\0');

function added(lines: string[]): AddedLine[] {
  const parser = new GitLogParser();
  return lines.flatMap((line) => {
    const parsed = parser.push(line);
    return parsed?.kind === 'added' ? [parsed.added] : [];
  });
}

describe('GitLogParser', () => {
  it('reads added lines with their path and new line number, and nothing else', () => {
    const out = added([
      commitLine(SHA1, '', '2026-01-05T10:00:00+01:00'),
      '',
      'diff --git a/x.txt b/x.txt',
      'index 1..2 100644',
      '--- a/x.txt',
      '+++ b/x.txt',
      '@@ -3,2 +3,3 @@ context',
      '-old',
      '+new one',
      '++++ b/looks-like-a-header',
      '\\ No newline at end of file',
      '@@ -10 +11,0 @@',
      '-gone',
    ]);
    expect(out.map((a) => [a.path, a.line, a.text])).toEqual([
      ['x.txt', 3, 'new one'],
      ['x.txt', 4, '+++ b/looks-like-a-header'],
    ]);
    expect(out[0]?.commit).toMatchObject({ sha: SHA1, authoredAt: Date.UTC(2026, 0, 5, 9), parents: [] });
  });

  it('counts a merge line as added only when it is in none of the parents', () => {
    const out = added([
      commitLine(SHA2, `${SHA1} ${'c'.repeat(40)}`, '2026-01-05T09:00:00Z'),
      'diff --cc m.txt',
      '--- a/m.txt',
      '+++ b/m.txt',
      '@@@ -2,1 -2,1 +2,4 @@@',
      '+ from the second parent',
      ' +from the first parent',
      '++resolution',
      '- removed',
      '  context',
      '++after',
    ]);
    expect(out.map((a) => [a.line, a.text])).toEqual([
      [4, 'resolution'],
      [6, 'after'],
    ]);
  });

  it('reads quoted, tab-ended and deleted file names', () => {
    expect(parseNewPath('b/a b.txt\t')).toBe('a b.txt');
    expect(parseNewPath('"b/caf\\303\\251 \\"q\\".txt"')).toBe('café "q".txt');
    expect(parseNewPath('/dev/null')).toBeNull();
    const out = added(['diff --git a/x b/x', '+++ /dev/null', '@@ -1 +0,0 @@', '-gone']);
    expect(out).toEqual([]);
  });

  it('ignores a malformed commit line instead of guessing', () => {
    const parser = new GitLogParser();
    expect(parser.push('\0nothex\0\0a\0b\0x\0y')).toBeNull();
  });
});

describe('FindingsCollector', () => {
  it('keeps one finding per key with the earliest author date, never the key', () => {
    const key = fakeSecretKey('live');
    const collector = new FindingsCollector((k) => (k === key ? 'f'.repeat(64) : '0'.repeat(64)));
    const later = { sha: SHA2, parents: [], authorName: 'A', authorEmail: 'a@x', authoredAt: 2000, committedAt: 2000 };
    const earlier = { ...later, sha: SHA1, authoredAt: 1000, committedAt: 3000 };
    collector.commit(later);
    collector.added({ commit: later, path: 'b.txt', line: 4, text: `x=${key}` });
    collector.added({ commit: later, path: 'b.txt', line: 9, text: `again ${key}` });
    collector.commit(earlier);
    collector.added({
      commit: earlier,
      path: 'a.txt',
      line: 1,
      text: `${key} sk_live_XXXXXXXXXXXXXXXXXXXXXXXX pk_live_abc`,
    });
    collector.atHead('b.txt', 4, `x=${key}`);
    const [finding, ...rest] = collector.findings();
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({
      mode: 'live',
      last4: key.slice(-4),
      firstCommit: { sha: SHA1 },
      firstLocation: { path: 'a.txt', line: 1 },
      paths: ['a.txt', 'b.txt'],
      commitCount: 2,
      headLocations: [{ path: 'b.txt', line: 4 }],
    });
    expect(JSON.stringify(finding)).not.toContain(key);
  });
});
