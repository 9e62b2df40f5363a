// Turns the text of `git log -p --cc -U0` (or `git diff --cached -U0`) into commits and added lines, one line at a
// time, so a history of any size passes through in constant memory. Pure: the process that produces the text is
// an adapter's business (src/git/).

/** The pretty format the parser expects for each commit: NUL-separated fields on one line that starts with NUL. */
export const COMMIT_FORMAT = '%x00%H%x00%P%x00%an%x00%ae%x00%aI%x00%cI';

export interface CommitMeta {
  sha: string;
  parents: string[];
  authorName: string;
  authorEmail: string;
  /** Epoch milliseconds. */
  authoredAt: number;
  committedAt: number;
}

/** A line present in the commit's result and in none of its parents (for a merge: new in the resolution). */
export interface AddedLine {
  commit: CommitMeta | null;
  path: string;
  /** 1-based line number in the new file. */
  line: number;
  text: string;
}

export type ParsedLine = { kind: 'commit'; commit: CommitMeta } | { kind: 'added'; added: AddedLine } | null;

type State = 'between' | 'header' | 'hunk';

/**
 * A state machine over the output's lines. Content lines inside a hunk always start with `+`, `-`, ` ` or `\`,
 * so a `diff ` line or a NUL-led commit line can only mean a new file or a new commit; `+++ ` is read as the
 * file name only between a `diff ` line and the first `@@`.
 */
export class GitLogParser {
  private state: State = 'between';
  private commit: CommitMeta | null = null;
  private path: string | null = null;
  /** How many parent columns a content line has: 1 for a plain diff, n for a combined diff of n parents. */
  private columns = 1;
  private nextLine = 0;

  push(raw: string): ParsedLine {
    const line = raw.endsWith('\r') && this.state !== 'hunk' ? raw.slice(0, -1) : raw;
    if (line.startsWith('\0')) {
      this.commit = parseCommitLine(line);
      this.state = 'between';
      this.path = null;
      return this.commit ? { kind: 'commit', commit: this.commit } : null;
    }
    if (line.startsWith('diff ')) {
      this.state = 'header';
      this.path = null;
      return null;
    }
    if (this.state === 'header') {
      if (line.startsWith('+++ ')) this.path = parseNewPath(line.slice(4));
      else if (line.startsWith('@@')) this.startHunk(line);
      return null;
    }
    if (this.state !== 'hunk') return null;
    if (line.startsWith('@@')) {
      this.startHunk(line);
      return null;
    }
    const marks = line.slice(0, this.columns);
    if (marks.length < this.columns || marks.startsWith('\\')) return null;
    // In the result unless some parent column says "removed"; new in this commit when every column says "added".
    if (marks.includes('-')) return null;
    const lineNumber = this.nextLine;
    this.nextLine += 1;
    if (!/^\++$/.test(marks) || this.path === null) return null;
    return {
      kind: 'added',
      added: { commit: this.commit, path: this.path, line: lineNumber, text: line.slice(this.columns) },
    };
  }

  private startHunk(line: string): void {
    const at = /^(@{2,})/.exec(line)?.[1] ?? '@@';
    this.columns = at.length - 1;
    // The last range is the result's: `+start[,count]`.
    const ranges = line.slice(at.length).split(at)[0] ?? '';
    const plus = /\+(\d+)(?:,\d+)?\s*$/.exec(ranges.trim());
    this.nextLine = plus ? Number(plus[1]) : 1;
    // `+0,0` (nothing in the new file) still counts from 1 should a line follow.
    if (this.nextLine === 0) this.nextLine = 1;
    this.state = 'hunk';
  }
}

function parseCommitLine(line: string): CommitMeta | null {
  const [, sha, parents, authorName, authorEmail, authored, committed] = line.split('\0');
  if (!sha || !/^[0-9a-f]{40,64}$/.test(sha)) return null;
  const authoredAt = Date.parse(authored ?? '');
  const committedAt = Date.parse(committed ?? '');
  if (Number.isNaN(authoredAt) || Number.isNaN(committedAt)) return null;
  return {
    sha,
    parents: (parents ?? '').split(' ').filter((p) => p.length > 0),
    authorName: authorName ?? '',
    authorEmail: authorEmail ?? '',
    authoredAt,
    committedAt,
  };
}

/** `b/src/x.ts`, `"b/caf\303\251.txt"`, `b/a b.txt<TAB>` (Git adds a tab after names with spaces) or `/dev/null`. */
export function parseNewPath(text: string): string | null {
  const name = text.startsWith('"') ? unquoteC(text) : text.replace(/\t$/, '');
  if (name === null || name === '/dev/null') return null;
  return name.startsWith('b/') ? name.slice(2) : name;
}

const ESCAPES: Record<string, number> = { a: 7, b: 8, t: 9, n: 10, v: 11, f: 12, r: 13, '"': 34, '\\': 92 };

/** Git's C-style quoting of unusual file names: octal escapes are UTF-8 bytes. */
function unquoteC(text: string): string | null {
  const end = text.lastIndexOf('"');
  if (end <= 0) return null;
  const bytes: number[] = [];
  const body = text.slice(1, end);
  for (let i = 0; i < body.length; i++) {
    const ch = body[i] as string;
    if (ch !== '\\') {
      bytes.push(...Buffer.from(ch, 'utf8'));
      continue;
    }
    const next = body[i + 1] ?? '';
    const octal = /^[0-7]{3}/.exec(body.slice(i + 1));
    if (octal) {
      bytes.push(Number.parseInt(octal[0], 8));
      i += 3;
    } else {
      bytes.push(ESCAPES[next] ?? next.charCodeAt(0));
      i += 1;
    }
  }
  return Buffer.from(bytes).toString('utf8');
}
