import { readFileSync } from 'node:fs';
import type { RecordVerdict, StreamVerdict } from '../app/export-service';
import { type Witness, witnessFromExport } from '../domain/record-witness';
import { incidentRef } from '../domain/types';
import type { CliCommand } from './commands';
import { noDatabaseText, openReadOnlyRecord, parseIncidentArg } from './read-only-record';

function streamLine({ stream, verdict }: StreamVerdict): string {
  if (verdict.ok) return `${stream}: ${verdict.count} events, chain verified, head ${verdict.head}`;
  const { seq, problem, message } = verdict.firstBad;
  return `${stream}: BROKEN at event ${seq} (${problem}): ${message}`;
}

function report(verdict: RecordVerdict): string {
  return [
    ...verdict.streams.map(streamLine),
    `PRAGMA integrity_check: ${verdict.databaseIntegrity}`,
    verdict.ok ? `OK: ${verdict.streams.length} streams verify.` : 'FAILED: the record does not verify.',
  ].join('\n');
}

/**
 * `paykore-bot verify [INC-n]`: exit 0 when every hash chain (or the named incident's) and SQLite's own
 * integrity check hold; otherwise exit 1, naming each broken stream's first bad event.
 */
export const verifyCommand: CliCommand = {
  name: 'verify',
  usage: 'verify [<INC-n>] [--against <f>]',
  summary: "check the event log's hash chains and the database file (against an earlier export)",
  options: { against: { type: 'string' } },
  async run({ positionals, values, io }) {
    const [ref, ...extra] = positionals;
    const incidentId = ref === undefined ? null : parseIncidentArg(ref);
    if ((ref !== undefined && incidentId === null) || extra.length > 0) {
      io.err('Name at most one incident, like INC-3.\nUsage: paykore-bot verify [<INC-n>] [--against <export.json>]\n');
      return 2;
    }
    let witness: Witness | null = null;
    if (typeof values.against === 'string') {
      witness = readWitness(values.against);
      if (!witness) {
        io.err(
          `${values.against} is not a JSON timeline export of this bot (paykore-bot export INC-n --format json).\n`,
        );
        return 2;
      }
      if (incidentId !== null && incidentRef(incidentId) !== witness.stream) {
        io.err(`${values.against} is the export of ${witness.stream}, not ${incidentRef(incidentId)}.\n`);
        return 2;
      }
    }
    const record = openReadOnlyRecord();
    if (!record) {
      io.err(noDatabaseText());
      return 1;
    }
    try {
      const verdict = witness
        ? record.exports.verifyAgainst(witness)
        : record.exports.verify(incidentId === null ? undefined : incidentRef(incidentId));
      if (!verdict) {
        io.err(
          `${witness?.stream ?? incidentRef(incidentId ?? 0)} is not in the database at ${record.databasePath}.\n`,
        );
        return 1;
      }
      io.out(`${report(verdict)}\n`);
      if (verdict.ok) return 0;
      const broken = verdict.streams.find((s) => !s.verdict.ok);
      io.err(
        broken && !broken.verdict.ok
          ? `First bad event: ${broken.stream} event ${broken.verdict.firstBad.seq} (${broken.verdict.firstBad.problem}).\n`
          : `The database file is damaged: ${verdict.databaseIntegrity}\n`,
      );
      return 1;
    } finally {
      record.close();
    }
  },
};

function readWitness(path: string): Witness | null {
  try {
    return witnessFromExport(JSON.parse(readFileSync(path, 'utf8')));
  } catch {
    return null;
  }
}
