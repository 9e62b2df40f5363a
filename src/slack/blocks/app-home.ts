import type { Button, HomeView, KnownBlock } from '@slack/types';
import type { HomeKey, HomeSnapshot } from '../../app/home-service';
import { COMMAND } from '../../domain/command-name';
import { nextStep, stepNumber } from '../../domain/incident';
import { STEP_TITLES } from '../../domain/step-titles';
import { plural } from '../../domain/text';
import { DAY_MS } from '../../domain/time';
import { type Incident, incidentRef, leadOf, type Step } from '../../domain/types';
import { ActionId } from '../ids';
import { button } from './block-kit';
import { exposureLine } from './exposure-text';
import { escapeMrkdwn, mention, slackDate, truncate } from './slack-time';
import { STEP_BUTTONS } from './step-labels';

export interface AppHomeInput extends HomeSnapshot {
  /** Whether the person may record steps (RESPONDERS): only they get the step buttons. */
  canAct: boolean;
  /** Who may act, in words, for the people who may not. */
  responders: string;
}

// The same action ids and values as the incident card, so the card's handlers serve these buttons too.
const STEP_ACTION: Record<Step, string> = {
  revoke: ActionId.incidentRevoke,
  review: ActionId.incidentReview,
  support: ActionId.incidentSupport,
  redeploy: ActionId.incidentRedeploy,
};

/** A Home tab holds at most 100 blocks: beyond this many incidents the rest are counted, not drawn. */
const MAX_INCIDENTS = 20;
const SECTION_MAX = 3000;

function section(text: string): KnownBlock {
  return { type: 'section', text: { type: 'mrkdwn', text: truncate(text, SECTION_MAX) } };
}

function incidentBlocks(incident: Incident, input: AppHomeInput): KnownBlock[] {
  const ref = incidentRef(incident.id);
  const step = nextStep(incident);
  const next = step ? `Next: *${stepNumber(step)}. ${STEP_TITLES[step]}*` : 'All four steps done: *ready to resolve*';
  const blocks: KnownBlock[] = [
    section(
      [
        `${incident.drill ? ':performing_arts: *DRILL* · ' : ''}*${ref}* · \`${escapeMrkdwn(incident.keyLabel)}\` · ${incident.environment} · ${incident.severity} · in <#${incident.channelId}>`,
        next,
        exposureLine(incident, input.now),
        `Opened by ${mention(incident.openedBy)} ${slackDate(incident.openedAt)} · lead ${mention(leadOf(incident))}`,
      ].join('\n'),
    ),
  ];
  const buttons: Button[] = [];
  if (input.canAct) {
    buttons.push(
      step
        ? button(STEP_BUTTONS[step], STEP_ACTION[step], ref, step === 'revoke' ? 'danger' : 'primary')
        : button('Resolve incident', ActionId.incidentResolve, ref, 'primary'),
    );
  }
  buttons.push(button('Add a note', ActionId.incidentNote, ref));
  // Slack wants action ids unique within a block; a block per incident lets every incident carry the same ones.
  blocks.push({ type: 'actions', block_id: `home_${ref}`, elements: buttons });
  return blocks;
}

function days(n: number, after?: 'overdue'): string {
  if (after && n === 0) return 'due now';
  return `${plural(n, 'day')}${after ? ` ${after}` : ''}`;
}

function keyLine(key: HomeKey, now: number): string {
  const owner = key.ownerId ? ` · owner ${mention(key.ownerId)}` : '';
  const rotating = key.status === 'rotating' ? ' · rotation under way' : '';
  const when =
    key.dueAt <= now
      ? `due ${slackDate(key.dueAt)}, *${days(Math.floor((now - key.dueAt) / DAY_MS), 'overdue')}*`
      : `due ${slackDate(key.dueAt)}, in ${days(Math.ceil((key.dueAt - now) / DAY_MS))}`;
  return `• \`${escapeMrkdwn(key.label)}\` (${key.environment}) · ${when}${owner}${rotating}`;
}

function keyList(title: string, keys: HomeKey[], now: number, empty: string): KnownBlock {
  if (keys.length === 0) return section(`*${title}*\n${empty}`);
  const heading = `*${title}* (${keys.length})`;
  // As many whole lines as fit in one section (3000 characters), then a count of the rest.
  let budget = SECTION_MAX - heading.length - 60;
  const lines: string[] = [];
  for (const key of keys) {
    const line = keyLine(key, now);
    if (line.length + 1 > budget) break;
    budget -= line.length + 1;
    lines.push(line);
  }
  if (lines.length < keys.length) lines.push(`… and ${keys.length - lines.length} more: \`${COMMAND} keys\``);
  return section(`${heading}\n${lines.join('\n')}`);
}

/** The App Home: open incidents with their next step and exposure, then keys overdue or due soon. */
export function appHomeView(input: AppHomeInput): HomeView {
  const blocks: KnownBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: 'PayKore incidents and keys', emoji: true } },
    {
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text: input.canAct
            ? `As of ${slackDate(input.now)} · the buttons record steps directly, as on the incident card`
            : `As of ${slackDate(input.now)} · steps are recorded by ${input.responders}; anyone may add a note`,
        },
      ],
    },
    section(
      input.incidents.length === 0
        ? `*Open incidents*\nNone. :white_check_mark: \`${COMMAND} start <key-label>\` opens one.`
        : `*Open incidents* (${input.incidents.length})`,
    ),
  ];
  for (const incident of input.incidents.slice(0, MAX_INCIDENTS)) blocks.push(...incidentBlocks(incident, input));
  if (input.incidents.length > MAX_INCIDENTS) {
    blocks.push(
      section(`… and ${input.incidents.length - MAX_INCIDENTS} more: \`${COMMAND} status\` in their channels`),
    );
  }
  blocks.push(
    { type: 'divider' },
    keyList('Keys overdue for rotation', input.overdueKeys, input.now, 'None. :white_check_mark:'),
    keyList(
      `Keys due in the next ${input.horizonDays} days`,
      input.dueSoonKeys,
      input.now,
      `None. \`${COMMAND} keys\` lists the whole register.`,
    ),
    {
      type: 'context',
      elements: [{ type: 'mrkdwn', text: `Type \`${COMMAND} help\` in any channel for every command.` }],
    },
  );
  return { type: 'home', blocks };
}
