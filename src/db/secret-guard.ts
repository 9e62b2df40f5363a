import type { Database, Statement } from 'better-sqlite3';
import { maskKeyShapes } from '../domain/key-detector';

// The one place every write passes (PRODUCT.md section 7): each statement prepared on the bot's connection masks
// key shapes in its bound string parameters, so a table, column or feature added later cannot store a key by
// forgetting to check. Callers that hash what they store (the event log) mask first with the same rule, so the
// guard finds nothing left to change and the hash still covers exactly what was written.

const GUARDED = Symbol('paykore.secretGuard');
const BINDING_METHODS = ['run', 'get', 'all', 'iterate'] as const;

function maskParam(value: unknown): unknown {
  if (typeof value === 'string') return maskKeyShapes(value);
  if (Array.isArray(value)) return value.map(maskParam);
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) out[key] = maskParam(inner);
    return out;
  }
  return value;
}

function guardStatement(statement: Statement): Statement {
  for (const method of BINDING_METHODS) {
    const original = statement[method] as (...params: unknown[]) => unknown;
    Object.defineProperty(statement, method, {
      value: (...params: unknown[]) => original.apply(statement, params.map(maskParam)),
      configurable: true,
    });
  }
  // `bind` fixes parameters once; mask them the same way.
  const bind = statement.bind as (...params: unknown[]) => Statement;
  Object.defineProperty(statement, 'bind', {
    value: (...params: unknown[]) => bind.apply(statement, params.map(maskParam)),
    configurable: true,
  });
  return statement;
}

/** Makes every statement prepared on `db` mask key shapes in what it binds. Idempotent. */
export function guardSecrets(db: Database): Database {
  const marked = db as Database & { [GUARDED]?: true };
  if (marked[GUARDED]) return db;
  const prepare = db.prepare.bind(db) as (source: string) => Statement;
  Object.defineProperty(db, 'prepare', {
    value: (source: string) => guardStatement(prepare(source)),
    configurable: true,
  });
  marked[GUARDED] = true;
  return db;
}
