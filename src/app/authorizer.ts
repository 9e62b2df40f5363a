import type { Clock } from './clock';

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
}

export class Authorizer {
  private readonly users: Set<string>;
  private readonly groupIds: string[];
  private readonly cache = new Map<string, { members: Set<string>; until: number }>();
  private readonly cacheMs: number;

  constructor(private readonly options: AuthorizerOptions) {
    this.users = new Set(options.responders.filter((id) => !id.startsWith('S')));
    this.groupIds = options.responders.filter((id) => id.startsWith('S'));
    this.cacheMs = options.cacheMs ?? 60_000;
  }

  /** True when RESPONDERS is empty: anyone in the workspace may act. */
  get open(): boolean {
    return this.users.size === 0 && this.groupIds.length === 0;
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

  /** Group membership is cached briefly; when Slack cannot answer, the check fails closed. */
  private async membersOf(groupId: string): Promise<Set<string>> {
    const now = this.options.clock().getTime();
    const cached = this.cache.get(groupId);
    if (cached && cached.until > now) return cached.members;
    try {
      const members = new Set(await this.options.groups.list(groupId));
      this.cache.set(groupId, { members, until: now + this.cacheMs });
      return members;
    } catch {
      return cached?.members ?? new Set();
    }
  }
}
