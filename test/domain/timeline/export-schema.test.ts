import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { timelineSchemaText } from '../../../src/domain/timeline/export-schema';

describe('docs/timeline.schema.json', () => {
  it('is what `npm run schema` generates from the event schemas (run it after changing an event or the export)', () => {
    const committed = readFileSync(new URL('../../../docs/timeline.schema.json', import.meta.url), 'utf8');
    expect(committed).toBe(timelineSchemaText());
  });
});
