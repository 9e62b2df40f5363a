import { EXPORT_FORMATS } from '../domain/command';
import { incidentRef } from '../domain/types';
import type { CliCommand } from './commands';
import { noDatabaseText, openReadOnlyRecord, parseIncidentArg } from './read-only-record';

const USAGE = 'Usage: paykore-bot export <INC-n> [--format markdown|csv|json]\n';

/**
 * `paykore-bot export INC-3 --format json`: the very bytes the bot uploads to Slack, on stdout and nothing else,
 * so `> INC-3.json` gives the same file. A record that does not verify is stated in the file and on stderr.
 */
export const exportCommand: CliCommand = {
  name: 'export',
  usage: 'export <INC-n> [--format <f>]',
  summary: 'print an incident timeline (markdown, csv or json) to stdout',
  options: { format: { type: 'string', short: 'f' } },
  async run({ positionals, values, io }) {
    const [ref, ...extra] = positionals;
    const incidentId = ref === undefined ? null : parseIncidentArg(ref);
    if (incidentId === null || extra.length > 0) {
      io.err(`Name one incident, like INC-3.\n${USAGE}`);
      return 2;
    }
    const formatText = String(values.format ?? 'markdown').toLowerCase();
    const format = formatText === 'md' ? 'markdown' : EXPORT_FORMATS.find((name) => name === formatText);
    if (!format) {
      io.err(`"${formatText}" is not a format I export: use markdown, csv or json.\n${USAGE}`);
      return 2;
    }
    const record = openReadOnlyRecord();
    if (!record) {
      io.err(noDatabaseText());
      return 1;
    }
    try {
      const exported = record.exports.exportIncident(incidentId, format);
      if (!exported) {
        io.err(`${incidentRef(incidentId)} is not in the database at ${record.databasePath}.\n`);
        return 1;
      }
      io.out(exported.file.content);
      const { integrity, databaseIntegrity } = exported;
      if (!integrity.ok) {
        io.err(
          `Warning: the ${incidentRef(incidentId)} record does not verify: event ${integrity.firstBad.seq} (${integrity.firstBad.problem}). The file says so.\n`,
        );
      }
      if (databaseIntegrity !== 'ok') io.err(`Warning: PRAGMA integrity_check failed: ${databaseIntegrity}\n`);
      return 0;
    } finally {
      record.close();
    }
  },
};
