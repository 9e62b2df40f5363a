// npm run demo: the real bot (HTTP mode, a real SQLite file) against a local Slack stand-in, playing one incident
// from declaration to resolution and printing what the channel would show. A local simulation: no Slack involved.
import { verifyChain } from '../src/domain/event-chain';
import { ActionId, CallbackId, Field } from '../src/slack/ids';
import { BotHarness, RESPONDER, SECOND_RESPONDER, select, text } from '../test/support/bot-harness';
import type { RecordedCall } from '../test/support/slack-stand-in';
import { MINUTE } from '../test/support/test-clock';

const PEOPLE: Record<string, string> = {
  [RESPONDER]: '@dana',
  [SECOND_RESPONDER]: '@sam',
  U0BOT0001: '@paykore-incident',
};
const start = Math.floor(Date.now() / MINUTE) * MINUTE;

/** Slack markup as a person reads it: dates in UTC, mentions as names. */
function plain(markup: string): string {
  return markup
    .replace(/<!date\^\d+\^[^|]*\|([^>]*)>/g, '$1')
    .replace(/<@([A-Z0-9]+)>/g, (_m, id: string) => PEOPLE[id] ?? `@${id}`)
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

type Block = {
  type: string;
  text?: { text: string };
  fields?: { text: string }[];
  elements?: { text?: { text: string } | string; type: string }[];
};

function drawBlocks(blocks: Block[]): string[] {
  const lines: string[] = [];
  for (const block of blocks) {
    if (block.type === 'header') lines.push(`# ${plain(block.text?.text ?? '')}`);
    if (block.type === 'section') {
      if (block.text) lines.push(...plain(block.text.text).split('\n'));
      for (const field of block.fields ?? []) lines.push(plain(field.text).replace('\n', ': '));
    }
    if (block.type === 'divider') lines.push('────────');
    if (block.type === 'actions') {
      lines.push((block.elements ?? []).map((e) => `[ ${typeof e.text === 'object' ? e.text.text : ''} ]`).join('  '));
    }
    if (block.type === 'context')
      lines.push(
        ...(block.elements ?? []).map(
          (e) => `(${plain(String(typeof e.text === 'object' ? e.text.text : (e.text ?? '')))})`,
        ),
      );
  }
  return lines;
}

const clockText = (h: BotHarness) => new Date(h.clock.now()).toISOString().slice(11, 19);
let seen = 0;
let seenResponses = 0;

function show(h: BotHarness, heading: string): void {
  console.log(`\n\x1b[1m[${clockText(h)} UTC] ${heading}\x1b[0m`);
  const calls: RecordedCall[] = h.standIn.calls().slice(seen);
  seen += calls.length;
  for (const call of calls) {
    const args = call.args as {
      text?: string;
      blocks?: Block[];
      thread_ts?: string;
      view?: { title?: { text: string }; blocks: Block[] };
    };
    if (call.method === 'chat.postMessage' && !args.thread_ts) {
      console.log('  #incident-room · new message (the incident card):');
      for (const line of drawBlocks(args.blocks ?? [])) console.log(`  │ ${line}`);
    } else if (call.method === 'chat.postMessage') {
      console.log(`  #incident-room · thread reply: ${plain(args.text ?? '')}`);
    } else if (call.method === 'chat.update') {
      const steps = (args.blocks ?? []).filter((b) => b.type === 'section' && /^\S+ \*\d\./.test(b.text?.text ?? ''));
      console.log('  #incident-room · the card is updated in place:');
      for (const step of steps) console.log(`  │ ${plain(step.text?.text ?? '').replace('\n', ' — ')}`);
    } else if (call.method === 'views.open') {
      console.log(`  (a form opens for the person who clicked: "${args.view?.title?.text}")`);
      for (const line of drawBlocks(args.view?.blocks ?? []).slice(0, 14)) console.log(`  ┊ ${line}`);
    } else if (call.method === 'files.completeUploadExternal') {
      const upload = h.standIn.uploads().find((u) => u.fileId === (call.args.files as { id: string }[])[0]?.id);
      console.log(
        `  #incident-room · file uploaded: ${upload?.filename} (${upload?.bytes.length} bytes, the postmortem timeline)`,
      );
    } else if (call.method === 'chat.postEphemeral') {
      console.log(`  (only you can see this) ${plain(args.text ?? '')}`);
    }
  }
  for (const response of h.standIn.responses().slice(seenResponses)) {
    console.log(`  (only you can see this) ${plain(String(response.body.text ?? ''))}`);
  }
  seenResponses = h.standIn.responses().length;
}

async function main(): Promise<void> {
  console.log(
    'PayKore incident bot — LOCAL SIMULATION. The real bot runs in HTTP mode against a local stand-in for Slack;',
  );
  console.log('requests are signed as Slack signs them; nothing leaves this machine. Time is simulated from now.');
  const h = await BotHarness.start({ startMs: start });
  try {
    const exposed = new Date(start - 47 * MINUTE).toISOString().slice(0, 16);
    const opened = await h.command(
      `start api-server-production-v2 env=production exposed=${exposed}Z how=committed to a public GitHub repository in config/prod.env`,
    );
    console.log(
      `\n@dana types: /paykore-incident start api-server-production-v2 env=production exposed=${exposed}Z how=…`,
    );
    console.log(`  (only you can see this) ${plain(BotHarness.replyText(opened))}`);
    show(h, 'The incident is open');

    h.clock.advance(MINUTE);
    await h.click(ActionId.incidentReview, 'INC-1', { userId: SECOND_RESPONDER });
    show(h, '@sam jumps ahead and clicks "Record the review"');

    for (let i = 0; i < 4; i += 1) {
      h.clock.advance(MINUTE);
      await h.tick();
    }
    show(h, 'Five minutes pass without a revocation');

    h.clock.advance(MINUTE);
    await h.click(ActionId.incidentRevoke, 'INC-1');
    show(h, '@dana revokes the key in the dashboard and clicks "I revoked the key"');

    h.clock.advance(4 * MINUTE);
    await h.click(ActionId.incidentReview, 'INC-1', { userId: SECOND_RESPONDER });
    show(h, '@sam opens the transaction review');
    h.clock.advance(5 * MINUTE);
    await h.submit(
      CallbackId.incidentReview,
      h.lastOpenedView().private_metadata,
      {
        [Field.reviewOutcome]: { [Field.reviewOutcome]: select('nothing_unrecognised') },
        [Field.transactionIds]: { [Field.transactionIds]: text('') },
        [Field.notes]: { [Field.notes]: text('checked charges and payouts in the window') },
      },
      { userId: SECOND_RESPONDER },
    );
    show(h, '@sam records: nothing unrecognised');

    h.clock.advance(2 * MINUTE);
    await h.click(ActionId.incidentSupport, 'INC-1');
    show(h, '@dana opens "Contact support": the message is drafted with the exposure window');
    h.clock.advance(3 * MINUTE);
    await h.submit(CallbackId.incidentSupport, h.lastOpenedView().private_metadata, {
      [Field.contactChannel]: { [Field.contactChannel]: select('email') },
      [Field.ticketRef]: { [Field.ticketRef]: text('PK-20931') },
    });
    show(h, '@dana records the support ticket');

    h.clock.advance(12 * MINUTE);
    await h.click(ActionId.incidentRedeploy, 'INC-1');
    await h.submit(CallbackId.incidentRedeploy, h.lastOpenedView().private_metadata, {
      [Field.newKeyLabel]: { [Field.newKeyLabel]: text('api-server-production-v3') },
      [Field.deploymentRef]: { [Field.deploymentRef]: text('release 2026.11.29-2') },
    });
    show(h, '@dana deploys the new key');

    h.clock.advance(8 * MINUTE);
    await h.click(ActionId.incidentResolve, 'INC-1');
    await h.submit(CallbackId.incidentResolve, h.lastOpenedView().private_metadata, {
      [Field.resolution]: { [Field.resolution]: select('revoked') },
      [Field.summary]: {
        [Field.summary]: text('Key revoked 6 minutes after detection; no misuse found; support informed.'),
      },
    });
    show(h, '@dana resolves the incident');

    const events = h.bot.incidents.timeline(1);
    console.log('\n\x1b[1mThe record in SQLite (append-only, hash-chained):\x1b[0m');
    for (const event of events) {
      console.log(
        `  ${String(event.seq).padStart(2)}  ${new Date(event.at).toISOString()}  ${(PEOPLE[event.actor] ?? event.actor).padEnd(18)} ${event.type}`,
      );
    }
    const verdict = verifyChain('INC-1', events);
    console.log(
      `  chain: ${verdict.ok ? 'verified' : 'BROKEN'} · ${verdict.count} events · head ${verdict.head.slice(0, 16)}…`,
    );
    console.log(
      `\nDatabase: ${h.dbPath} (removed when the demo ends). Slack calls checked against Slack's specs: ${h.standIn.calls().length}, problems: ${h.standIn.violations().length}.`,
    );
  } finally {
    await h.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
