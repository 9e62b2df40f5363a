import type { Button, KnownBlock, ModalView } from '@slack/types';
import { maskKey } from '../../domain/key-detector';
import type { Leak } from '../../domain/leak';
import { type Spike, signalRef } from '../../domain/signals/spike';
import { type Incident, incidentRef } from '../../domain/types';
import { ActionId, CallbackId, Field } from '../ids';
import { button } from './block-kit';
import type { SlackMessage } from './incident-card';
import { openIncidentButton, REVOKE_WHERE } from './leak-messages';
import { modal, textInput } from './modals/modal-parts';
import { escapeMrkdwn, mention, slackDate, truncate } from './slack-time';

// The seed's reasoning, said the same way on every warning.
export const SPIKE_REASON =
  'PayKore: a sudden spike of `429 RATE_LIMIT_EXCEEDED` on a key that normally runs well under its limit is an ' +
  'early signal of misuse: investigate now; when in doubt, revoke first.';

const perMinute = (rate: number) => `${Number.isInteger(rate) ? rate : rate.toFixed(1)}/min`;

function seconds(windowSeconds: number): string {
  return windowSeconds % 60 === 0 ? `${windowSeconds / 60} min` : `${windowSeconds} s`;
}

/** "120 429s in 1 min (normal 0.5/min)": the count against the key's normal and the window. */
export function spikeFigures(spike: Spike): string {
  if (spike.source !== 'counts') {
    const rule = spike.source === 'grafana' ? 'Grafana' : 'Alertmanager';
    const value = spike.count === null ? '' : ` at ${spike.count}`;
    return `${rule} alert${spike.alertName ? ` \`${escapeMrkdwn(spike.alertName)}\`` : ''} firing${value}, since ${slackDate(spike.startedAt)}`;
  }
  const normal =
    spike.normalPerMinute === null
      ? 'its normal is still being learnt (first hour), so the absolute floor decided'
      : `normal ${perMinute(spike.normalPerMinute)}`;
  const window = spike.windowSeconds === null ? '' : ` in ${seconds(spike.windowSeconds)}`;
  return `${spike.count ?? 0} × 429${window} (${normal}), window starting ${slackDate(spike.startedAt)}`;
}

function stateLine(spike: Spike, incident: Incident | null): string | null {
  const lines: string[] = [];
  if (spike.endedAt !== null) {
    lines.push(
      spike.source === 'counts'
        ? `:white_check_mark: Back to normal ${slackDate(spike.endedAt)}.`
        : `:white_check_mark: Alert resolved ${slackDate(spike.endedAt)}.`,
    );
  } else {
    lines.push(':hourglass: Still elevated.');
  }
  if (incident) lines.push(`${incidentRef(incident.id)} opened for it ${slackDate(incident.openedAt)}.`);
  if (spike.dismissedAt !== null && spike.dismissedBy !== null) {
    lines.push(
      `Dismissed by ${mention(spike.dismissedBy)} ${slackDate(spike.dismissedAt)}: ${escapeMrkdwn(spike.dismissReason ?? '')}`,
    );
  }
  return lines.join(' ');
}

function unknownKeyNote(spike: Spike): string {
  return (
    `\`${escapeMrkdwn(spike.keyLabel)}\` is not in the key register, so I do not know its environment or owner. ` +
    `Register it: \`/paykore-incident keys add ${spike.keyLabel.startsWith('sk_') ? '<label>' : spike.keyLabel} env=production channel=#channel\`` +
    (spike.keyLabel.startsWith('sk_') ? ' (with its last four characters, so alerts naming it find it)' : '') +
    '.'
  );
}

/** The warning for one spike (`SIG-n`), drawn from its state when sent: new, back to normal, dismissed, in an incident. */
export function spikeWarning(spike: Spike, incident: Incident | null): SlackMessage {
  const env = spike.environment ?? 'environment unknown';
  const headline = `:rotating_light: *Spike of 429 RATE_LIMIT_EXCEEDED on \`${escapeMrkdwn(spike.keyLabel)}\`* (${env}) · ${signalRef(spike.id)}`;
  const body = [
    headline,
    spikeFigures(spike),
    spike.summary ? `> ${escapeMrkdwn(truncate(spike.summary, 300))}` : null,
    SPIKE_REASON,
    spike.keyKnown ? null : unknownKeyNote(spike),
  ]
    .filter((line): line is string => line !== null)
    .join('\n');
  const blocks: KnownBlock[] = [{ type: 'section', text: { type: 'mrkdwn', text: truncate(body, 3000) } }];
  const state = stateLine(spike, incident);
  if (state) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: truncate(state, 3000) }] });
  if (spike.incidentId === null && spike.dismissedAt === null) {
    const buttons: Button[] = [
      button('Open an incident', ActionId.signalOpenIncident, signalRef(spike.id), 'danger'),
      button('Not misuse: dismiss', ActionId.signalDismiss, signalRef(spike.id)),
    ];
    blocks.push({ type: 'actions', elements: buttons });
  }
  const fallback = `Spike of 429 RATE_LIMIT_EXCEEDED on ${spike.keyLabel} (${signalRef(spike.id)}): investigate now; when in doubt, revoke first.`;
  return { text: fallback, blocks };
}

/** A secret key found in a body sent to the signal intake: refused, and the pipeline that sent it now holds it. */
export function secretInSignalWarning(leak: Leak, incident: Incident | null): SlackMessage {
  const mask = `\`${maskKey(leak)}\``;
  const open = incident?.status === 'open';
  const text =
    `:rotating_light: *A request to my rate-limit signal intake held a PayKore secret key (${mask}).* ` +
    'I refused it and stored nothing of it, but your alert pipeline (its rules, labels or logs) now holds the key. ' +
    `Treat it as compromised: revoke it now ${REVOKE_WHERE}, then remove it from the pipeline. ` +
    'Name keys in alerts by their register label (`paykore_key`), never by the key.' +
    (open ? ` ${incidentRef(incident.id)} is open for it.` : '');
  const blocks: KnownBlock[] = [{ type: 'section', text: { type: 'mrkdwn', text: truncate(text, 3000) } }];
  if (!open) blocks.push({ type: 'actions', elements: [openIncidentButton(leak)] });
  return { text: `A secret key (${maskKey(leak)}) reached the signal intake: revoke it now.`, blocks };
}

/** The dismiss form: why this spike was not misuse (recorded in SIGNALS). */
export function dismissModal(spike: Spike): ModalView {
  return modal(
    CallbackId.signalDismiss,
    'Dismiss the spike',
    'Dismiss',
    { signalId: spike.id, channelId: spike.channelId },
    [
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: truncate(
            `Spike on \`${escapeMrkdwn(spike.keyLabel)}\` (${signalRef(spike.id)}): ${spikeFigures(spike)}. Record why it was not misuse (a load test, a deploy, a retry storm of your own).`,
            3000,
          ),
        },
      },
      textInput(Field.dismissReason, 'Why was it not misuse?', { multiline: true, maxLength: 1000 }),
    ],
  );
}
