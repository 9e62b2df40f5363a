import { ExportService } from '../../src/app/export-service';
import { createStore } from '../../src/app/store';
import { openDatabase } from '../../src/db/open-database';
import type { ExportFormatName } from '../../src/domain/command';

// One export format in a process of its own, so its peak memory is its own, with local times shown (DISPLAY_TIMEZONE
// set: the heavier case). `node --import tsx export-child.ts <database> <format> <incident id> <repeats>` prints
// one JSON line.

const [databasePath, format, incidentArg, repeatsArg] = process.argv.slice(2);
const db = openDatabase(databasePath ?? '', { readonly: true });
const exports = new ExportService({
  store: createStore(db),
  displayTimeZone: 'America/New_York',
  clock: () => new Date(),
});
const rssBeforeMb = process.memoryUsage().rss / 1024 / 1024;
const timesMs: number[] = [];
let bytes = 0;
let verified = false;
for (let i = 0; i < Number(repeatsArg ?? 3); i += 1) {
  const started = performance.now();
  const exported = exports.exportIncident(Number(incidentArg), format as ExportFormatName);
  timesMs.push(performance.now() - started);
  if (!exported) throw new Error(`no incident ${incidentArg}`);
  bytes = Buffer.byteLength(exported.file.content);
  verified = exported.integrity.ok;
}
db.close();
// maxRSS is in kilobytes on Linux: the high-water mark of the whole process, start-up included.
const peakRssMb = process.resourceUsage().maxRSS / 1024;
process.stdout.write(`${JSON.stringify({ format, timesMs, bytes, verified, rssBeforeMb, peakRssMb })}\n`);
