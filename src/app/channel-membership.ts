import type { Clock } from './clock';
import type { Logger } from './logger';

/** One page of a channel's members, as Slack hands them out. */
export interface MemberPage {
  members: string[];
  nextCursor: string;
}

export interface ChannelMembershipOptions {
  /** One page of conversations.members; throws when Slack cannot say. */
  page(channelId: string, cursor: string | undefined): Promise<MemberPage>;
  clock: Clock;
  logger?: Pick<Logger, 'warn'>;
  ttlMs?: number;
  maxChannels?: number;
  /** A channel larger than this many pages is not read further: who is past it is treated as not a member. */
  maxPages?: number;
}

/**
 * Who is in an incident's channel (PRODUCT.md section 8): the App Home shows, and a click without a channel may
 * act on, only incidents of channels the person is in. Answers are cached briefly and for a bounded number of
 * channels; when Slack cannot answer, the check fails closed.
 */
export class ChannelMembership {
  private readonly cache = new Map<string, { members: Set<string>; until: number }>();
  private readonly ttlMs: number;
  private readonly maxChannels: number;
  private readonly maxPages: number;

  constructor(private readonly options: ChannelMembershipOptions) {
    this.ttlMs = options.ttlMs ?? 60_000;
    this.maxChannels = options.maxChannels ?? 200;
    this.maxPages = options.maxPages ?? 20;
  }

  async isMember(userId: string, channelId: string): Promise<boolean> {
    const members = await this.membersOf(channelId);
    return members?.has(userId) ?? false;
  }

  private async membersOf(channelId: string): Promise<Set<string> | null> {
    const now = this.options.clock().getTime();
    const cached = this.cache.get(channelId);
    if (cached && cached.until > now) return cached.members;
    try {
      const members = new Set<string>();
      let cursor: string | undefined;
      for (let page = 0; page < this.maxPages; page += 1) {
        const answer = await this.options.page(channelId, cursor);
        for (const member of answer.members) members.add(member);
        if (!answer.nextCursor) break;
        cursor = answer.nextCursor;
      }
      this.cache.delete(channelId);
      // Oldest entry out first: the map keeps insertion order.
      while (this.cache.size >= this.maxChannels) this.cache.delete(this.cache.keys().next().value as string);
      this.cache.set(channelId, { members, until: now + this.ttlMs });
      return members;
    } catch (error) {
      this.options.logger?.warn(
        { channelId, error: error instanceof Error ? error.message : String(error) },
        'conversations.members failed: treated as not a member',
      );
      return null;
    }
  }
}
