import { createHash } from 'node:crypto';
import { canonicalJson as oldCanon } from '../src/domain/event-chain';
import { zoneOffsetMs as oldZone } from '../src/domain/timeline/format-time';

function newCanon(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i += 1) {
      if (i > 0) out += ',';
      const item = canonicalOrEmpty(value[i]);
      out += item;
    }
    return `${out}]`;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).sort();
  let out = '{';
  let first = true;
  for (const key of keys) {
    const v = record[key];
    if (v === undefined) continue;
    if (!first) out += ',';
    first = false;
    out += `${JSON.stringify(key)}:${newCanon(v)}`;
  }
  return `${out}}`;
}
function canonicalOrEmpty(v: unknown): string {
  const s = newCanon(v) as string | undefined;
  return s === undefined ? '' : s;
}

const events = Array.from({ length: 10000 }, (_, i) => ({
  stream: 'INC-1',
  seq: i + 1,
  at: 1764000000000 + i,
  actor: 'U0RESP0001',
  type: 'note_added',
  details: {
    text: `Checked the request logs for window ${i}: nothing.`,
    nested: { b: [1, 2, { z: 1, a: null }], a: 'x' },
  },
  prevHash: 'f'.repeat(64),
}));
for (const e of events) if (oldCanon(e) !== newCanon(e)) throw new Error('mismatch');
const weird = [
  { b: undefined, a: [undefined, null, 1] },
  [1, [2, []]],
  { é: 1, e: 2, E: 3, '10': 1, '9': 2 },
  'str',
  5,
  null,
  true,
];
for (const w of weird) if (oldCanon(w) !== newCanon(w)) throw new Error(`mismatch ${oldCanon(w)} ${newCanon(w)}`);
for (let r = 0; r < 4; r++) {
  for (const [name, f] of [
    ['old', oldCanon],
    ['new', newCanon],
  ] as const) {
    const t = performance.now();
    for (const e of events) createHash('sha256').update(f(e)).digest('hex');
    console.log('canon+hash', name, (performance.now() - t).toFixed(1));
  }
}
// zone
const zoneCache = new Map<string, { from: number; to: number; offset: number }>();
function newZone(ms: number, zone: string): number {
  const hit = zoneCache.get(zone);
  if (hit && ms >= hit.from && ms < hit.to) return hit.offset;
  const bucket = 15 * 60_000;
  const from = Math.floor(ms / bucket) * bucket;
  const to = from + bucket;
  const offset = oldZone(ms, zone);
  if (oldZone(from, zone) === offset && oldZone(to - 1000, zone) === offset) zoneCache.set(zone, { from, to, offset });
  return offset;
}
const times = Array.from({ length: 10000 }, (_, i) => 1764000000000 + i * 37_000);
for (const t of times)
  if (oldZone(t, 'America/New_York') !== newZone(t, 'America/New_York')) throw new Error('zone mismatch');
for (let r = 0; r < 3; r++)
  for (const [name, f] of [
    ['old', oldZone],
    ['new', newZone],
  ] as const) {
    const t = performance.now();
    for (const x of times) f(x, 'Europe/Berlin');
    console.log('zone', name, (performance.now() - t).toFixed(1));
  }
