import { nextActionTs, nextTriggerId, VERIFICATION_TOKEN } from './payloads';
import { WORKSPACE } from './slack-stand-in';

// App Home payloads as Slack sends them: the event when someone opens the Home tab, and a click on a button in it.
// A Home click comes from a view: it has `container.type: 'view'` and the Home view, and neither a channel nor a
// response_url. Field names follow the java-slack-sdk BlockActionPayload sample.

export interface HomeClickInput {
  actionId: string;
  value: string;
  userId: string;
  blockId?: string;
  viewId?: string;
  blocks?: unknown[];
}

/** A block_actions `payload=<json>` form body from a button on the Home tab. */
export function homeActionBody(input: HomeClickInput): string {
  const viewId = input.viewId ?? 'V0HOME00001';
  const text = { type: 'plain_text', text: 'Go', emoji: true };
  const payload = {
    type: 'block_actions',
    user: { id: input.userId, username: `user-${input.userId.toLowerCase()}`, team_id: WORKSPACE.teamId },
    api_app_id: WORKSPACE.appId,
    token: VERIFICATION_TOKEN,
    container: { type: 'view', view_id: viewId },
    trigger_id: nextTriggerId(),
    team: { id: WORKSPACE.teamId, domain: WORKSPACE.teamDomain },
    enterprise: null,
    is_enterprise_install: false,
    view: {
      id: viewId,
      team_id: WORKSPACE.teamId,
      type: 'home',
      blocks: input.blocks ?? [],
      private_metadata: '',
      callback_id: '',
      state: { values: {} },
      hash: `${nextActionTs()}.fakehomehash`,
      title: { type: 'plain_text', text: 'View Title', emoji: true },
      clear_on_close: false,
      notify_on_close: false,
      close: null,
      submit: null,
      previous_view_id: null,
      root_view_id: viewId,
      app_id: WORKSPACE.appId,
      external_id: '',
      app_installed_team_id: WORKSPACE.teamId,
      bot_id: WORKSPACE.botId,
    },
    actions: [
      {
        action_id: input.actionId,
        block_id: input.blockId ?? 'home_block',
        text,
        value: input.value,
        style: 'primary',
        type: 'button',
        action_ts: nextActionTs(),
      },
    ],
  };
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

/** The `app_home_opened` event, to wrap in eventBody(). */
export function appHomeOpenedEvent(
  userId: string,
  tab: 'home' | 'messages' = 'home',
): { type: string } & Record<string, unknown> {
  return {
    type: 'app_home_opened',
    user: userId,
    channel: `D${userId.slice(1).padEnd(8, '0')}`,
    tab,
    event_ts: nextActionTs(),
  };
}
