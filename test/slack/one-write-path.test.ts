import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

// Every listener writes through `deps.write` (the group commit), so an ack means "durable" and a failed write
// reaches the person through the registry. A state-changing use-case called outside it is caught here.
const LISTENERS = join(import.meta.dirname, '..', '..', 'src', 'slack', 'listeners');
const WRITES =
  /\b(?:this\.)?(?:deps\.)?(incidents|register|rotations|leaks|exports|refusals|signals)\.(open|dismiss|completeStep|addNote|resolve|recordRefusal|record|register|markRotated|snooze|start|recordStep|precheckStep|requestUpload|recordTyped|recordMessage|openIncident)\(/g;

function listenerFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return listenerFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** Use-case writes not inside a `write(() => …)` that opens just before them. */
function unbatchedWrites(source: string): string[] {
  return [...source.matchAll(WRITES)]
    .filter((match) => !/write\(\(\) =>\s*$/.test(source.slice(Math.max(0, match.index - 60), match.index)))
    .map((match) => match[0]);
}

describe('one write path for every listener', () => {
  it('finds every state-changing use-case call inside deps.write', () => {
    const files = listenerFiles(LISTENERS);
    expect(files.length).toBeGreaterThan(10);
    const offending = files.flatMap((file) =>
      unbatchedWrites(readFileSync(file, 'utf8')).map((call) => `${relative(LISTENERS, file)}: ${call}`),
    );
    expect(offending).toEqual([]);
  });

  it('catches a direct call and accepts a batched one', () => {
    expect(unbatchedWrites('const outcome = register.snooze({ keyId });')).toEqual(['register.snooze(']);
    expect(unbatchedWrites('await deps.write(() => deps.incidents.addNote({ text }));')).toEqual([]);
    expect(unbatchedWrites('await deps.write(() =>\n        rotations.recordStep({')).toEqual([]);
    expect(unbatchedWrites('deps.notify();\nleaks.recordMessage(message);')).toEqual(['leaks.recordMessage(']);
  });
});
