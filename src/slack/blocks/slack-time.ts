import { isoUtc } from '../../domain/time';

/** Slack renders this token in each reader's own time zone; the fallback after `|` is UTC for old clients. */
export function slackDate(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  const fallback = `${isoUtc(ms).slice(0, 19).replace('T', ' ')} UTC`;
  return `<!date^${seconds}^{date_short_pretty} {time_secs}|${fallback}>`;
}

/**
 * How long ago `ms` was, counted by each reader's Slack client when they look (`{ago}`: "3 hours ago"), so a card
 * that is not redrawn for an hour still says how long the key has been active. `fallback` is for old clients.
 */
export function slackAgo(ms: number, fallback: string): string {
  return `<!date^${Math.floor(ms / 1000)}^{ago}|${fallback}>`;
}

export function mention(userId: string): string {
  return userId === 'bot' ? 'the bot' : `<@${userId}>`;
}

/** Slack's mrkdwn treats &, < and > as markup: user text must not open links, mentions or broadcasts. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
