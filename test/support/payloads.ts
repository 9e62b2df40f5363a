import { WORKSPACE } from './slack-stand-in';

// Request bodies exactly as Slack sends them to an HTTP-mode app, with field names taken from real payloads
// (java-slack-sdk samples in slack-specs). Post them with postSigned().

/** Slack's legacy verification token; Bolt ignores it, but Slack still sends one. */
export const VERIFICATION_TOKEN = 'FAKEverificationTOKEN0000';

let counter = 0;
const next = () => {
  counter += 1;
  return counter;
};

/** Single-use modal trigger, shaped like Slack's `398738663015.47445629121.803a0bc8…`. */
export function nextTriggerId(): string {
  const n = next();
  return `${1_000_000_000_000 + n}.4744562912.${n.toString(16).padStart(32, '0')}`;
}

/** `seconds.micros`, unique and increasing, like Slack's action_ts and message ts. */
export function nextActionTs(): string {
  const n = next();
  return `${1_764_100_000 + n}.${String(n % 1_000_000).padStart(6, '0')}`;
}

function userObject(userId: string) {
  return {
    id: userId,
    username: `user-${userId.toLowerCase()}`,
    name: `user-${userId.toLowerCase()}`,
    team_id: WORKSPACE.teamId,
  };
}

const team = () => ({ id: WORKSPACE.teamId, domain: WORKSPACE.teamDomain });

export interface SlashCommandInput {
  text: string;
  userId: string;
  channelId: string;
  responseUrl: string;
  triggerId?: string;
  command?: string;
  teamId?: string;
  userName?: string;
  channelName?: string;
}

/** application/x-www-form-urlencoded, fields in Slack's order. */
export function slashCommandBody(input: SlashCommandInput): string {
  return new URLSearchParams({
    token: VERIFICATION_TOKEN,
    team_id: input.teamId ?? WORKSPACE.teamId,
    team_domain: WORKSPACE.teamDomain,
    channel_id: input.channelId,
    channel_name: input.channelName ?? `channel-${input.channelId.toLowerCase()}`,
    user_id: input.userId,
    user_name: input.userName ?? `user-${input.userId.toLowerCase()}`,
    command: input.command ?? '/paykore-incident',
    text: input.text,
    api_app_id: WORKSPACE.appId,
    is_enterprise_install: 'false',
    response_url: input.responseUrl,
    trigger_id: input.triggerId ?? nextTriggerId(),
  }).toString();
}

export interface BlockActionInput {
  actionId: string;
  value: string;
  userId: string;
  channelId: string;
  responseUrl: string;
  messageTs?: string;
  triggerId?: string;
  actionTs?: string;
  blockId?: string;
  buttonText?: string;
  /** The message the button sits on, e.g. the bot's card as recorded by the stand-in; defaults to that one button. */
  message?: { text?: string; blocks?: unknown[]; thread_ts?: string };
  /** Buttons on ephemeral messages arrive without the message itself. */
  ephemeral?: boolean;
}

/** A button click: `payload=<json>` of a block_actions payload. */
export function blockActionBody(input: BlockActionInput): string {
  const messageTs = input.messageTs ?? nextActionTs();
  const blockId = input.blockId ?? `blk${next()}`;
  const buttonText = { type: 'plain_text', text: input.buttonText ?? 'Go', emoji: true };
  const button = { type: 'button', action_id: input.actionId, text: buttonText, value: input.value };
  const message = {
    user: WORKSPACE.botUserId,
    type: 'message',
    ts: messageTs,
    bot_id: WORKSPACE.botId,
    app_id: WORKSPACE.appId,
    text: input.message?.text ?? '',
    team: WORKSPACE.teamId,
    blocks: input.message?.blocks ?? [{ type: 'actions', block_id: blockId, elements: [button] }],
    ...(input.message?.thread_ts ? { thread_ts: input.message.thread_ts } : {}),
  };
  const payload = {
    type: 'block_actions',
    user: userObject(input.userId),
    api_app_id: WORKSPACE.appId,
    token: VERIFICATION_TOKEN,
    container: { type: 'message', message_ts: messageTs, channel_id: input.channelId, is_ephemeral: !!input.ephemeral },
    trigger_id: input.triggerId ?? nextTriggerId(),
    team: team(),
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: input.channelId, name: `channel-${input.channelId.toLowerCase()}` },
    ...(input.ephemeral ? {} : { message }),
    state: { values: {} },
    response_url: input.responseUrl,
    actions: [
      {
        action_id: input.actionId,
        block_id: blockId,
        text: buttonText,
        value: input.value,
        type: 'button',
        action_ts: input.actionTs ?? nextActionTs(),
      },
    ],
  };
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

type Json = Record<string, unknown>;

/**
 * One input's submitted state, as Slack reports it per element type: `{ type: 'plain_text_input', value }`,
 * `{ type: 'static_select', selected_option: { text, value } }`, `{ type: 'datetimepicker', selected_date_time }`
 * (unix seconds), `{ type: 'users_select', selected_user }`, … Unset inputs carry null.
 */
export type InputState = { type: string } & Json;

export interface ViewSubmissionInput {
  callbackId: string;
  privateMetadata: string;
  userId: string;
  /** state.values: `{ [blockId]: { [actionId]: InputState } }`. */
  values: Record<string, Record<string, InputState>>;
  viewId?: string;
  triggerId?: string;
  title?: string;
}

/** A modal submission: `payload=<json>` of a view_submission payload. */
export function viewSubmissionBody(input: ViewSubmissionInput): string {
  const viewId = input.viewId ?? `V${String(next()).padStart(8, '0')}`;
  const payload = {
    type: 'view_submission',
    team: team(),
    user: userObject(input.userId),
    api_app_id: WORKSPACE.appId,
    token: VERIFICATION_TOKEN,
    trigger_id: input.triggerId ?? nextTriggerId(),
    view: {
      id: viewId,
      team_id: WORKSPACE.teamId,
      type: 'modal',
      private_metadata: input.privateMetadata,
      callback_id: input.callbackId,
      state: { values: input.values },
      hash: `${nextActionTs()}.fakeviewhash`,
      title: { type: 'plain_text', text: input.title ?? 'Incident', emoji: true },
      clear_on_close: false,
      notify_on_close: false,
      close: null,
      submit: { type: 'plain_text', text: 'Submit', emoji: true },
      previous_view_id: null,
      root_view_id: viewId,
      app_id: WORKSPACE.appId,
      external_id: '',
      app_installed_team_id: WORKSPACE.teamId,
      bot_id: WORKSPACE.botId,
    },
    enterprise: null,
    is_enterprise_install: false,
  };
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

export interface EventInput {
  event: Json & { type: string };
  eventId?: string;
  eventTime?: number;
  teamId?: string;
}

/** An Events API `event_callback` envelope, as the JSON body Slack posts (content type application/json). */
export function eventBody(input: EventInput): string {
  const teamId = input.teamId ?? WORKSPACE.teamId;
  const eventTs = String(input.event.event_ts ?? input.event.ts ?? nextActionTs());
  const eventId = input.eventId ?? `Ev${String(next()).padStart(9, '0')}`;
  return JSON.stringify({
    token: VERIFICATION_TOKEN,
    team_id: teamId,
    context_team_id: teamId,
    context_enterprise_id: null,
    api_app_id: WORKSPACE.appId,
    event: { ...input.event, event_ts: eventTs },
    type: 'event_callback',
    event_id: eventId,
    event_time: input.eventTime ?? Math.floor(Number(eventTs)),
    authorizations: [
      {
        enterprise_id: null,
        team_id: teamId,
        user_id: WORKSPACE.botUserId,
        is_bot: true,
        is_enterprise_install: false,
      },
    ],
    is_ext_shared_channel: false,
    event_context: `4-fake-event-context-${eventId}`,
    // Required by Slack's published envelope schema, though newer deliveries favour `authorizations`.
    authed_users: [WORKSPACE.botUserId],
  });
}

export interface MessageEventInput {
  text: string;
  userId: string;
  channelId: string;
  ts?: string;
  threadTs?: string;
  channelType?: 'channel' | 'group';
}

/** A `message` event from a person in a channel (message.channels / message.groups), to wrap in eventBody(). */
export function messageEvent(input: MessageEventInput): Json & { type: string } {
  const ts = input.ts ?? nextActionTs();
  return {
    type: 'message',
    user: input.userId,
    text: input.text,
    ts,
    team: WORKSPACE.teamId,
    channel: input.channelId,
    event_ts: ts,
    channel_type: input.channelType ?? 'channel',
    ...(input.threadTs ? { thread_ts: input.threadTs } : {}),
  };
}
