import type { Database, Statement } from 'better-sqlite3';
import { maskKeyShapes, maskKeyShapesDeep } from '../domain/key-detector';

// The one place every write passes (PRODUCT.md section 7): each statement prepared on the bot's connection masks
// key shapes in its bound string parameters, so a table, column or feature added later cannot store a key by
// forgetting to check. Callers that hash what they store (the event log) mask first with the same rule, so the
// guard finds nothing left to change and the hash still covers exactly what was written.

const GUARDED = Symbol('paykore.secretGuard');
const BINDING_METHODS = ['run', 'get', 'all', 'iterate'] as const;

/**
 * What the guard stores for a bound string. JSON text of an object or array (details, payloads) is masked value by
 * value, exactly as the event log masks the same details before it hashes them, so a row and its chained event
 * always agree: masking the JSON text itself would read its escapes (`\\\n`: a backslash, then a line break) one
 * level off and could join what the value keeps apart. Any other text is masked by the storage rule. Text with
 * nothing to mask is returned as it was, byte for byte.
 */
export function maskStoredText(text: string): string {
  const first = text.charCodeAt(0);
  if ((first === 0x7b || first === 0x5b) && text.includes('_')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return maskKeyShapes(text);
    }
    const masked = JSON.stringify(maskKeyShapesDeep(parsed));
    return masked === JSON.stringify(parsed) ? text : masked;
  }
  return maskKeyShapes(text);
}

function maskParam(value: unknown): unknown {
  if (typeof value === 'string') return maskStoredText(value);
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
