// `npm run schema`: writes docs/timeline.schema.json from the zod schemas (src/domain/timeline/export-schema.ts).
// test/domain/timeline/export-schema.test.ts fails when the committed file differs from what this writes.
import { writeFileSync } from 'node:fs';
import { timelineSchemaText } from '../src/domain/timeline/export-schema';

writeFileSync(new URL('../docs/timeline.schema.json', import.meta.url), timelineSchemaText());
process.stdout.write('wrote docs/timeline.schema.json\n');
