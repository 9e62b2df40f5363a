import { createStore } from '../src/app/store';
import { integrityCheck, openDatabase } from '../src/db/open-database';
import { verifyStoredChain } from '../src/domain/chain-forensics';
import { checkIncidentRecord } from '../src/domain/incident-record';
import { buildExportModel, renderCsv, renderJson, renderMarkdown } from '../src/domain/timeline';

const db = openDatabase(process.argv[2]!, { readonly: true });
const store = createStore(db);
const time = <T>(label: string, f: () => T): T => {
  const t = performance.now();
  const r = f();
  console.log(label.padEnd(14), (performance.now() - t).toFixed(1));
  return r;
};
for (let i = 0; i < 3; i++) {
  console.log('--- iteration', i);
  const incident = time('incident', () => store.incidents.get(1)!);
  const events = time('load events', () => store.events.stream('INC-1'));
  const chain = time('verify chain', () => verifyStoredChain('INC-1', events));
  const verdict = time('check record', () => checkIncidentRecord(incident, events, chain));
  const dbi = time('integrity', () => integrityCheck(db));
  const sorted = time('sort', () => [...events].sort((a, b) => a.seq - b.seq));
  const model = time('model', () =>
    buildExportModel({
      incident,
      events: sorted,
      integrity: verdict,
      databaseIntegrity: dbi,
      displayTimeZone: 'Europe/Berlin',
    }),
  );
  time('markdown', () => renderMarkdown(model));
  time('json', () => renderJson(model));
  time('csv', () => renderCsv(model));
}
