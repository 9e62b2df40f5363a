// Slack's answer to a call it refused, as a sentence for the people in the channel (never a stack trace).

export interface SlackRefusal {
  code: string;
  /** The scope Slack says is missing, on `missing_scope`. */
  needed: string | null;
}

/** The error code of a Web API platform error; null for transport failures (timeouts, 5xx, 429). */
export function slackRefusal(error: unknown): SlackRefusal | null {
  const e = error as { code?: string; data?: { error?: unknown; needed?: unknown } };
  if (e.code !== 'slack_webapi_platform_error' || typeof e.data?.error !== 'string') return null;
  return { code: e.data.error, needed: typeof e.data.needed === 'string' ? e.data.needed : null };
}

/** Refusals that retrying cannot fix: reported once, not retried. */
export const LASTING_REFUSALS = new Set([
  'missing_scope',
  'restricted_action',
  'not_authed',
  'invalid_auth',
  'account_inactive',
  'token_revoked',
  'user_is_restricted',
  'user_is_ultra_restricted',
  'method_not_supported_for_channel_type',
  'not_allowed_token_type',
  'invalid_name',
  'invalid_name_required',
  'invalid_name_punctuation',
  'invalid_name_maxlength',
  'invalid_name_specials',
  'no_channel',
  'channel_not_found',
  'is_archived',
  'team_added_to_org',
  'not_supported',
  'ura_max_channels',
  'too_many_users',
]);

/** What to do about it, in one sentence. */
export function refusalSentence(refusal: SlackRefusal, doing: string): string {
  if (refusal.code === 'missing_scope') {
    const scope = refusal.needed ? `\`${refusal.needed}\`` : 'a scope it needs';
    return `Slack refused to let me ${doing}: the app lacks ${scope}. Add ${scope} under OAuth & Permissions (manifest.yml lists it) and reinstall the app.`;
  }
  if (refusal.code === 'restricted_action')
    return `Slack refused to let me ${doing}: a workspace admin restricts who may do that (\`restricted_action\`). Ask an admin to allow apps to do it.`;
  if (refusal.code === 'invalid_auth' || refusal.code === 'token_revoked' || refusal.code === 'account_inactive')
    return `Slack refused to let me ${doing}: the bot token is no longer valid (\`${refusal.code}\`). Reinstall the app.`;
  return `Slack refused to let me ${doing} (\`${refusal.code}\`).`;
}
