import { type Refusal, refuse } from '../domain/refusal';
import type { Clock } from './clock';
import type { Logger } from './logger';

/** Who may complete steps, resolve, export and change the key register (PRODUCT.md section 8). */
export type Capability = 'anyone' | 'responder';

export interface GroupMembers {
  /** Members of a Slack user group; throws when Slack cannot say. */
  list(groupId: string): Promise<string[]>;
}

export interface AuthorizerOptions {
  responders: string[];
  groups: GroupMembers;
  clock: Clock;
  cacheMs?: number;
  /** How long past its expiry a group's last answer may still vouch for someone while Slack cannot answer. */
  maxStaleMs?: number;
  logger?: Pick<Logger, 'warn'>;
}

export class Authorizer {
  private readonly users: Set<string>;
  private readonly groupIds: string[];
  private readonly cache = new Map<string, { members: Set<string>; until: number }>();
  private readonly cacheMs: number;
  private readonly maxStaleMs: number;
  private unknown = false;

  constructor(private readonly options: AuthorizerOptions) {
    this.users = new Set(options.responders.filter((id) => !id.startsWith('S')));
    this.groupIds = options.responders.filter((id) => id.startsWith('S'));
    this.cacheMs = options.cacheMs ?? 60_000;
    this.maxStaleMs = options.maxStaleMs ?? 60 * 60_000;
  }

  /** True while the last group lookup failed with nothing fresh enough to fall back on: denials say why. */
  get groupsUnknown(): boolean {
    return this.unknown;
  }

  /** True when RESPONDERS is empty: anyone in the workspace may act. */
  get open(): boolean {
    return this.users.size === 0 && this.groupIds.length === 0;
  }

  /** Why someone was just denied: who may act, or that Slack could not say who is in a responder group. */
  refusal(): Refusal<'not_a_responder' | 'responders_unknown'> {
    if (this.unknown) return refuse('responders_unknown');
    return refuse('not_a_responder', { users: [...this.users], groups: [...this.groupIds] });
  }

  describe(): string {
    if (this.open) return 'anyone in the workspace';
    return [...[...this.users].map((id) => `<@${id}>`), ...this.groupIds.map((id) => `<!subteam^${id}>`)].join(', ');
  }

  async allows(userId: string, capability: Capability): Promise<boolean> {
    if (capability === 'anyone' || this.open || this.users.has(userId)) return true;
    for (const groupId of this.groupIds) {
      if ((await this.membersOf(groupId)).has(userId)) return true;
    }
    return false;
  }

  /**
   * Group membership is cached briefly. When Slack cannot answer, the last answer stands for at most maxStaleMs
   * past its expiry (someone removed from the group must not keep acting through an outage); then the check
   * fails closed.
   */
  private async membersOf(groupId: string): Promise<Set<string>> {
    const now = this.options.clock().getTime();
    const cached = this.cache.get(groupId);
    if (cached && cached.until > now) return cached.members;
    try {
      const members = new Set(await this.options.groups.list(groupId));
      this.cache.set(groupId, { members, until: now + this.cacheMs });
      this.unknown = false;
      return members;
    } catch {
      if (cached && now - cached.until <= this.maxStaleMs) return cached.members;
      this.unknown = true;
      this.options.logger?.warn(
        { groupId, staleForMs: cached ? now - cached.until : null },
        'usergroups.users.list failed and no recent enough answer is cached: responder check denied',
      );
      return new Set();
    }
  }
}
