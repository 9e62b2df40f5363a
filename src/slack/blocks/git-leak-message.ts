import type { KnownBlock } from '@slack/types';
import { headStatus } from '../../domain/git-scan/report';
import { maskKey } from '../../domain/key-detector';
import { type Leak, leakRef } from '../../domain/leak';
import { ActionId } from '../ids';
import type { SlackMessage } from './incident-card';
import { escapeMrkdwn, slackDate, truncate } from './slack-time';

export interface GitLeakFacts {
  repository: string;
  commit: string;
  author: string;
  authoredAt: number;
  path: string;
  /** Where the key still is in HEAD; empty when it was removed (it stays in history). */
  headLocations: { path: string; line: number }[];
}

/** The warning for a key newly found in Git history: the mask, the first commit and whether HEAD still holds it. */
export function gitLeakWarning(leak: Pick<Leak, 'id' | 'mode' | 'last4'>, facts: GitLeakFacts): SlackMessage {
  const mask = `\`${maskKey(leak)}\``;
  const head =
    facts.headLocations.length > 0
      ? `*Still in HEAD* (${facts.headLocations
          .slice(0, 5)
          .map((l) => `\`${escapeMrkdwn(l.path)}:${l.line}\``)
          .join(', ')}).`
      : `*${capitalize(headStatus(facts))}.*`;
  const text =
    `:rotating_light: *PayKore secret key ${mask} found in Git history* of \`${escapeMrkdwn(facts.repository)}\`: first added in commit ` +
    `\`${facts.commit.slice(0, 12)}\` (\`${escapeMrkdwn(facts.path)}\`) by ${escapeMrkdwn(facts.author)}, ${slackDate(facts.authoredAt)}. ${head} ` +
    'Git history is forever: treat it as compromised and revoke it now in the PayKore dashboard (Settings → API Keys), ' +
    'then open an incident (its exposure starts at that commit).';
  const blocks: KnownBlock[] = [
    { type: 'section', text: { type: 'mrkdwn', text: truncate(text, 3000) } },
    {
      type: 'actions',
      elements: [
        {
          type: 'button',
          text: { type: 'plain_text', text: 'Open an incident', emoji: true },
          action_id: ActionId.leakOpenIncident,
          value: leakRef(leak.id),
          style: 'danger',
        },
      ],
    },
  ];
  return { text: truncate(text, 3000), blocks };
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
