import type { ExportFormatName } from '../../domain/command';
import { COMMAND } from '../../domain/command-name';
import type { ChainVerdict } from '../../domain/event-chain';
import { mention } from './slack-time';

/** The ephemeral answer to whoever asked: the file itself follows in the channel. */
export function exportRequestedText(ref: string, format: ExportFormatName): string {
  return `Uploading the ${ref} timeline (${format})…`;
}

export function exportNoIncidentText(): string {
  return `There is no open incident in this channel. Name the one to export, like \`${COMMAND} export INC-3\`.`;
}

export function exportTitle(ref: string, format: ExportFormatName): string {
  return `${ref} timeline (${format})`;
}

/**
 * The message posted with the file. A record that does not verify is said here too, not only inside the file,
 * so nobody forwards it to an auditor unread.
 */
export function exportComment(input: {
  ref: string;
  format: ExportFormatName;
  requestedBy: string | null;
  integrity: ChainVerdict;
  databaseIntegrity: string;
}): string {
  const { ref, integrity } = input;
  const why = input.requestedBy
    ? `exported by ${mention(input.requestedBy)}`
    : 'exported automatically now that it is resolved, for the postmortem';
  const lines = [`:page_facing_up: The ${ref} timeline (${input.format}), ${why}.`];
  if (integrity.ok) {
    lines.push(`${integrity.count} events, hash chain verified (head \`${integrity.head.slice(0, 12)}…\`).`);
  } else {
    lines.push(
      `:warning: *The record does not verify:* event ${integrity.firstBad.seq} (\`${integrity.firstBad.problem}\`). The file says so at the top; compare it with a backup before relying on it.`,
    );
  }
  if (input.databaseIntegrity !== 'ok') {
    lines.push(':warning: *The database integrity check failed*: see the file, and restore from a backup.');
  }
  return lines.join('\n');
}
