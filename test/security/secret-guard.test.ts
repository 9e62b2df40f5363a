import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createStore } from '../../src/app/store';
import { openDatabase } from '../../src/db/open-database';
import { verifyChain } from '../../src/domain/event-chain';
import { fakeSecretKey } from '../support/fake-keys';
import { needlesOf, wrappings } from '../support/key-wrappings';

/**
 * The guard under every write: code that forgets to check (a new feature, a new column, a raw statement) still
 * cannot put a key into the database file. Each write below skips every screen the Slack listeners apply.
 */
describe('the database guard', () => {
  it('masks a key in any wrapping in every write, whatever statement or repository makes it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'paykore-guard-'));
    const path = join(dir, 'bot.sqlite');
    const db = openDatabase(path);
    const store = createStore(db);
    const keys: string[] = [];
    const all = () =>
      wrappings('sk_live_x')
        .map((_, i) => {
          const key = fakeSecretKey(i % 2 === 0 ? 'live' : 'test', 30);
          keys.push(key);
          return wrappings(key)[i]!.text;
        })
        .join(' | ');
    store.transaction(() => {
      store.events.append({
        stream: 'INC-1',
        at: 1,
        actor: 'U1',
        type: 'note_added',
        details: { text: all(), nested: [{ deep: all() }] },
      });
      store.events.append({ stream: 'INC-1', at: 2, actor: all(), type: 'note_added', details: { text: 'plain' } });
      store.outbox.enqueue({ channelId: 'C0CHAN0001', kind: 'thread', subject: 'INC-1', payload: { text: all() } }, 3);
      db.prepare('INSERT INTO settings (name, value) VALUES (?, ?)').run('raw-positional', all());
      db.prepare('INSERT INTO settings (name, value) VALUES (@name, @value)').run({ name: 'raw-named', value: all() });
      db.prepare('INSERT INTO settings (name, value) VALUES (?, ?) RETURNING name').get('raw-returning', all());
    });
    expect(verifyChain('INC-1', store.events.stream('INC-1')).ok).toBe(true);
    const stored = JSON.stringify(db.prepare('SELECT * FROM settings').all());
    expect(stored).toContain('sk_live_\u2026');
    const bytes = Buffer.concat([
      readFileSync(path),
      existsSync(`${path}-wal`) ? readFileSync(`${path}-wal`) : Buffer.alloc(0),
    ]);
    db.close();
    const leaked = keys.flatMap((key) => needlesOf(key).filter((needle) => bytes.includes(Buffer.from(needle))));
    expect(leaked.map((n) => keys.findIndex((k) => k.includes(n)))).toEqual([]);
  });
});
