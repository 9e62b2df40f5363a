import { USAGE } from '../../domain/command';
import { COMMAND } from '../../domain/command-name';

export function helpText(unknown: string | null): string {
  const intro = unknown ? `I don't know \`${unknown.slice(0, 40).replace(/`/g, "'")}\`. ` : '';
  return [
    `${intro}*PayKore incident bot*: when a secret key leaks, revoke first, then review, contact support, redeploy.`,
    `• \`${COMMAND}\`: declare a compromised key (opens a form)`,
    `• \`${USAGE.start}\``,
    `• \`${USAGE.status}\`: where the incident stands`,
    `• \`${USAGE.note}\`: add to the timeline`,
    `• \`${USAGE.export}\`: the timeline file for the postmortem`,
    `• \`${USAGE.lead}\`: hand over the incident lead`,
    `• \`${USAGE.drill}\`: rehearse the playbook on a practice incident`,
    `• \`${COMMAND} keys\`: the key register with due dates`,
    `• \`${USAGE.keysAdd}\``,
    `• \`${USAGE.keysRotated}\``,
    `• \`${USAGE.rotate}\`: a zero-downtime rotation, step by step`,
    'Never paste a secret key here: use its label. A key posted in Slack is compromised.',
  ].join('\n');
}
