import type { AllMiddlewareArgs, App, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { type Command, parseCommand } from '../../../domain/command';
import { incidentRef } from '../../../domain/refs';
import { NOTHING_RECORDED } from '../../blocks/failure-text';
import { COMMAND } from '../../ids';
import { commandPayloadSchema } from '../../parse';
import type { ListenerDeps, ListenerRegistry } from '../registry';
import type { CommandContext, CommandReply, Subcommand, SubcommandTable } from './command-context';

/** Screens the raw text before anything else sees it (a pasted secret key is answered here and never stored). */
export type CommandScreen = (
  text: string,
  ctx: CommandContext,
  deps: ListenerDeps,
) => Promise<CommandReply | undefined>;

/**
 * `/paykore-incident`: one listener, the first word picks a subcommand from the tables. Each subcommand says who
 * may use it; the check runs here, before it, for every one.
 */
export function paykoreIncident(
  app: App,
  registry: ListenerRegistry,
  deps: ListenerDeps,
  tables: SubcommandTable[],
  screens: CommandScreen[] = [],
): void {
  const table: SubcommandTable = Object.assign({}, ...tables);
  for (const [kind, sub] of Object.entries(table)) registry.commands.set(kind, (sub as Subcommand).capability);
  app.command(COMMAND, async (args: SlackCommandMiddlewareArgs & AllMiddlewareArgs) => {
    const parsed = commandPayloadSchema.safeParse(args.command);
    if (!parsed.success) {
      deps.logger.warn({ issues: parsed.error.issues.length }, 'malformed slash command');
      await args.ack({ response_type: 'ephemeral', text: `That command was malformed; try \`${COMMAND} help\`.` });
      return;
    }
    const payload = parsed.data;
    const ctx: CommandContext = {
      payload,
      actor: payload.user_id,
      channelId: payload.channel_id,
      commandKey: `command:${payload.trigger_id}`,
      openView: async (view) => {
        await deps.viewsClient.views.open({ trigger_id: payload.trigger_id, view });
      },
    };
    let reply: CommandReply | undefined;
    try {
      reply = await answer(payload.text, ctx);
    } catch (error) {
      registry.handlerFailed(error, { command: COMMAND, requestId: ctx.commandKey });
      reply = { text: NOTHING_RECORDED };
    }
    await args.ack(reply ? { response_type: 'ephemeral', ...reply } : undefined);
  });

  async function answer(text: string, ctx: CommandContext): Promise<CommandReply | undefined> {
    let reply: CommandReply | undefined;
    for (const screen of screens) {
      reply = await screen(text, ctx, deps);
      if (reply !== undefined) break;
    }
    if (reply === undefined) {
      const command = parseCommand(text);
      const sub = table[command.kind] as Subcommand | undefined;
      if (!sub) {
        reply = { text: `That part of the bot is not available in this version. Try \`${COMMAND} help\`.` };
      } else if (!(await deps.authorizer.allows(ctx.actor, sub.capability))) {
        const stream = sub.subject ? sub.subject(command as never, ctx, deps) : incidentSubject(command, ctx, deps);
        const action = `command:${command.kind}`;
        reply = { text: await registry.refuseNotResponder(stream, ctx.actor, action, ctx.commandKey) };
      } else {
        reply = await sub.run(command as never, ctx, deps);
      }
    }
    return reply;
  }
}

/**
 * The incident a refused command was about: the named one or the channel's open one, and only when it belongs
 * to this channel, so nobody can write refusals into another channel's timeline by naming its incident.
 */
function incidentSubject(command: Command, ctx: CommandContext, deps: ListenerDeps): string | null {
  const named = 'incidentId' in command ? command.incidentId : null;
  const incident = named !== null ? deps.incidents.get(named) : deps.incidents.openInChannel(ctx.channelId);
  return incident && incident.channelId === ctx.channelId ? incidentRef(incident.id) : null;
}
