import type { KnownBlock } from '@slack/types';
import type { ModalView } from '@slack/web-api';
import type { Capability } from '../../../app/authorizer';
import type { Command } from '../../../domain/command';
import type { CommandPayload } from '../../parse';
import type { ListenerDeps } from '../registry';

export interface CommandContext {
  payload: CommandPayload;
  actor: string;
  channelId: string;
  /** The idempotency key of this command: Slack gives each invocation its own trigger id. */
  commandKey: string;
  openView(view: ModalView): Promise<void>;
}

/** What the command answers, only to the person who typed it; null acknowledges silently. */
export type CommandReply = { text: string; blocks?: KnownBlock[] } | null;

export interface Subcommand<K extends Command['kind'] = Command['kind']> {
  capability: Capability;
  /**
   * The stream a refused attempt is recorded on (KEYS, ROT-n, INC-n), or null for none. Without it, the named
   * incident or the channel's open one, and only when it belongs to this channel.
   */
  subject?(command: Extract<Command, { kind: K }>, ctx: CommandContext, deps: ListenerDeps): string | null;
  run(command: Extract<Command, { kind: K }>, ctx: CommandContext, deps: ListenerDeps): Promise<CommandReply>;
}

export type SubcommandTable = { [K in Command['kind']]?: Subcommand<K> };
