// Finds PayKore secret keys (`sk_live_…`, `sk_test_…`) in free text so the bot can warn about a leak and
// never store, log or echo the key. Publishable keys (`pk_…`) are not secrets and are never matched.

export type SecretKeyMode = 'live' | 'test';

export interface DetectedKey {
  mode: SecretKeyMode;
  /** The last four characters of the body: all that may ever be shown or stored. */
  last4: string;
  /** UTF-16 offsets of the whole key in the scanned text; `end` is exclusive. */
  start: number;
  end: number;
  /** The full key. Keep it in memory only: never store, log or send it. */
  key: string;
}

const MIN_BODY_LENGTH = 24;

// A key starts on a token boundary: not glued to a preceding identifier (`foosk_live_…` is not a key).
// Besides the plain rule, a few encodings put a letter right before an intact key, and each is treated as a
// boundary: a percent escape (`?k%3Dsk_live_…`), a backslash escape in a JSON or log string (`\nsk_live_…`),
// a Slack mrkdwn italic underscore that itself starts a token (`_sk_live_…_`), and a complete key directly
// before (two keys pasted without a separator, so redaction cannot leave the second one visible).
const BOUNDARY =
  '(?:(?<![A-Za-z0-9_])|(?<=%[0-9A-Fa-f]{2})|(?<=\\\\[nrt])|(?<=(?:^|[^A-Za-z0-9_])_)|(?<=sk_(?:live|test)_[A-Za-z0-9]{24,}))';
// The body runs to the first character that is not a letter or digit, or to the next complete key.
const BODY = '(?:(?!sk_(?:live|test)_[A-Za-z0-9]{24})[A-Za-z0-9])+';
// The leading lookahead lets the engine skip ahead cheaply before trying the boundary lookbehinds.
const KEY_PATTERN = new RegExp(`(?=sk_(?:live|test)_)${BOUNDARY}sk_(live|test)_(${BODY})`, 'g');

// Placeholder rules. A real body is random base62, so every rule below is tuned so that a random body of
// 24 characters (the shortest key) trips it with probability around 1e-9 or less; longer bodies are safer still.
// The entropy and top-two figures are exact, from enumerating every count pattern of n draws from 62 symbols.

// Shannon entropy of the body's own character counts. A random 24-character body averages about 4.2 bits per
// character (at most log2(24) = 4.58, since it has at most 24 distinct characters); it falls below 3.0 with
// probability 3e-10 (1e-11 at 26 characters, 8e-22 at 40). Below 3.0 bits means the body behaves like fewer
// than eight equally used symbols, which is what `XXXX…`, `0000…`, `abab…` and `aaaabbbb…` placeholders look like.
const MIN_ENTROPY_BITS_PER_CHAR = 3.0;

// Two characters making up more than half the body (`XXXX1234XXXX5678…`, a short random prefix padded with
// `0`s): probability 1.4e-10 at 24 characters. Catches long padded placeholders whose entropy is above 3.0.
const MAX_TOP_TWO_SHARE = 0.5;

// Words people type in place of a key. Matching is case-insensitive, so each word costs about
// (1/31)^length per position: words shorter than seven letters would reject real keys too often, and a bare
// `XXXX` would reject about 1 in 10,000 real 99-character keys. So the `XXXX` family is matched as a run of
// eight X's, which every `sk_live_XXXXXXXX…` mask has.
const DENY_WORDS = ['redacted', 'placeholder', 'example', 'yourkey', 'yoursecret', 'changeme', 'replaceme'];
const X_RUN = /x{8}/i;

/** Every distinct secret key in `text`, in order of first appearance. */
export function findSecretKeys(text: string): DetectedKey[] {
  const seen = new Set<string>();
  const found: DetectedKey[] = [];
  for (const key of scan(text)) {
    if (seen.has(key.key)) continue;
    seen.add(key.key);
    found.push(key);
  }
  return found;
}

export function containsSecretKey(text: string): boolean {
  return !scan(text).next().done;
}

/** `sk_live_…7Q2x`: the mode and at most the last four characters, nothing else of the key. */
export function maskKey(k: { mode: SecretKeyMode; last4: string }): string {
  return `sk_${k.mode}_\u2026${k.last4.slice(-4)}`;
}

/** `text` with every secret key replaced by its mask, for logs, errors and anything echoed back. */
export function redactSecretKeys(text: string): string {
  let out = '';
  let from = 0;
  for (const key of scan(text)) {
    out += text.slice(from, key.start) + maskKey(key);
    from = key.end;
  }
  return out + text.slice(from);
}

function* scan(text: string): Generator<DetectedKey> {
  for (const match of text.matchAll(KEY_PATTERN)) {
    const mode = match[1] as SecretKeyMode;
    const body = match[2] ?? '';
    if (body.length < MIN_BODY_LENGTH || looksLikePlaceholder(body)) continue;
    const start = match.index;
    yield { mode, last4: body.slice(-4), start, end: start + match[0].length, key: match[0] };
  }
}

function looksLikePlaceholder(body: string): boolean {
  const lower = body.toLowerCase();
  if (X_RUN.test(lower) || DENY_WORDS.some((word) => lower.includes(word))) return true;
  const counts = [...characterCounts(body).values()].sort((a, b) => b - a);
  if (entropyBitsPerChar(counts, body.length) < MIN_ENTROPY_BITS_PER_CHAR) return true;
  if ((counts[0] ?? 0) + (counts[1] ?? 0) > MAX_TOP_TWO_SHARE * body.length) return true;
  return isMostlySequence(body);
}

function characterCounts(body: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const ch of body) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  return counts;
}

function entropyBitsPerChar(counts: number[], length: number): number {
  let bits = 0;
  for (const count of counts) {
    const p = count / length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

// `abcdefgh…`, `1234567890…`, `ZYXW…`: more than half of neighbouring pairs one code point apart. In a random
// body a pair is such a step with probability about 0.03, so 12 of 23 steps happen by chance about once in 1e12.
function isMostlySequence(body: string): boolean {
  let steps = 0;
  for (let i = 1; i < body.length; i++) {
    if (Math.abs(body.charCodeAt(i) - body.charCodeAt(i - 1)) === 1) steps++;
  }
  return steps * 2 > body.length - 1;
}

// The storage rule (PRODUCT.md section 7, "storage is stricter than warning"). What decides whether text may be
// stored, logged, posted or exported needs no boundary and no placeholder test: anything shaped like a key,
// wherever it stands (after `_` or a letter, behind an ANSI colour code, inside Markdown), is masked. A line
// break inside it (a terminal wrap, a code block, a log excerpt, or the `\n` escape of a JSON string) is joined
// first, so the two halves of a wrapped key are never stored either.
const KEY_SHAPE = new RegExp(`sk_(live|test)_(${BODY})`, 'g');
// A line break (raw or JSON-escaped) and the indentation or quote marks a paste puts after it. Escapes may be
// nested (a JSON string inside JSON), so any run of backslashes before `n`, `r` or `t` counts: a value and its JSON
// text must be masked alike, or a stored row and its chained event would disagree.
const LINE_BREAK = /(?:\r\n|\r|\n|(?:\\+r)?\\+n|\\+r)(?:[ \t>]|\\+t)*/g;

/** Every key shape in `text` under the storage rule, placeholders included, with offsets into `text`. */
export function findKeyShapes(text: string): DetectedKey[] {
  if (!text.includes('_')) return [];
  const hasBreak = /[\r\n]|\\[rn]/.test(text);
  if (!hasBreak && !text.includes('sk_')) return [];
  const { joined, origin } = hasBreak ? joinLineBreaks(text) : { joined: text, origin: null };
  const found: DetectedKey[] = [];
  for (const match of joined.matchAll(KEY_SHAPE)) {
    if ((match[2] ?? '').length < MIN_BODY_LENGTH) continue;
    const last = match.index + match[0].length - 1;
    const start = origin ? (origin[match.index] ?? 0) : match.index;
    const end = (origin ? (origin[last] ?? start) : last) + 1;
    let body = match[2] ?? '';
    // A complete key at the end of a line followed by more text: the key is what stood on its line (so the warning
    // names the right last four), but the mask still covers the continuation, in case it was the rest of the key.
    const firstBreak = origin
      ? origin.findIndex((at, i) => i > match.index && i <= last && at !== origin[i - 1]! + 1)
      : -1;
    if (firstBreak !== -1) {
      const onItsLine = joined.slice(match.index, firstBreak).length - match[1]!.length - 4;
      if (onItsLine >= MIN_BODY_LENGTH) body = body.slice(0, onItsLine);
    }
    const key = `sk_${match[1]}_${body}`;
    found.push({ mode: match[1] as SecretKeyMode, last4: body.slice(-4), start, end, key });
  }
  return found;
}

/** Key shapes that are not placeholders: what a warning or a refusal is about, wherever the key stands. */
export function findSecretKeysAnywhere(text: string): DetectedKey[] {
  const seen = new Set<string>();
  return findKeyShapes(text).filter((k) => {
    const body = k.key.slice(k.mode.length + 4);
    if (seen.has(k.key) || looksLikePlaceholder(body)) return false;
    seen.add(k.key);
    return true;
  });
}

/** `text` with every key shape masked (`sk_live_…7Q2x`): the one rule for anything written anywhere. */
export function maskKeyShapes(text: string): string {
  const shapes = findKeyShapes(text);
  if (shapes.length === 0) return text;
  let out = '';
  let from = 0;
  for (const shape of shapes) {
    out += text.slice(from, shape.start) + maskKey(shape);
    from = shape.end;
  }
  return out + text.slice(from);
}

/** A deep copy of `value` with every string masked by the storage rule. */
export function maskKeyShapesDeep<T>(value: T, depth = 0): T {
  if (typeof value === 'string') return maskKeyShapes(value) as T;
  if (value === null || typeof value !== 'object' || depth > 32) return value;
  if (Array.isArray(value)) return value.map((item) => maskKeyShapesDeep(item, depth + 1)) as T;
  if (Object.getPrototypeOf(value) !== Object.prototype && Object.getPrototypeOf(value) !== null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) out[key] = maskKeyShapesDeep(inner, depth + 1);
  return out as T;
}

/** `text` without its line breaks, and for each character of the result its offset in `text`. */
function joinLineBreaks(text: string): { joined: string; origin: number[] } {
  const origin: number[] = [];
  let joined = '';
  let from = 0;
  const keep = (to: number) => {
    for (let i = from; i < to; i++) origin.push(i);
    joined += text.slice(from, to);
  };
  for (const br of text.matchAll(LINE_BREAK)) {
    keep(br.index);
    from = br.index + br[0].length;
  }
  keep(text.length);
  return { joined, origin };
}
