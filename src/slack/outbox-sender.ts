import type { KnownBlock } from '@slack/types';
import { ErrorCode, type WebClient } from '@slack/web-api';
import type { Clock } from '../app/clock';
import type { Logger } from '../app/logger';
import type { Store } from '../app/store';
import type { OutboxItem } from '../db/outbox-repository';
import { BotError } from '../domain/bot-error';

export interface RenderedCard {
  channelId: string;
  text: string;
  blocks: KnownBlock[];
  /** The card's ts once posted; null posts a new one. */
  ts: string | null;
  saveTs(ts: string): void;
  /** The record's count and head, kept in the message metadata: a witness the database cannot reach. */
  witness?: { stream: string; count: number; head: string };
}

export interface RenderedThreadReply {
  channelId: string;
  threadTs: string | null;
  text: string;
  /** A reply with buttons (a leaked-key warning); `text` stays the notification fallback. */
  blocks?: KnownBlock[];
}

export interface RenderedFile {
  channelId: string;
  filename: string;
  title: string;
  content: string;
  comment: string;
}

/** What a task's Slack calls came to, and what to record about it in the commit of its sent mark. */
export interface TaskOutcome {
  result: string;
  record?: () => void;
}

/** How the messages about one kind of subject (`INC`, `ROT`, …) are drawn, from the state at send time. */
export interface SubjectRenderer {
  card?(subject: string): RenderedCard | null;
  threadReply?(subject: string, payload: Record<string, unknown>): RenderedThreadReply | null;
  /** May answer later: the timeline file is drawn off the event loop (ExportRunner). */
  file?(subject: string, payload: Record<string, unknown>): RenderedFile | null | Promise<RenderedFile | null>;
  /**
   * Runs a `task` item (a room to create, people to invite). It throws what Slack threw for the sender to retry
   * or drop; a refusal it handles itself comes back as a result.
   */
  task?(subject: string, payload: Record<string, unknown>): Promise<TaskOutcome>;
}

export interface OutboxSenderOptions {
  store: Store;
  client: WebClient;
  clock: Clock;
  logger: Logger;
  renderers: Record<string, SubjectRenderer>;
  /** Names this process in outbox leases. */
  owner: string;
  leaseMs?: number;
  /**
   * Runs the sender's own bookkeeping writes (lease, sent mark, card ts, coalesced refreshes). The bot passes its
   * group commit, so under load they share the acks' fsync instead of each blocking the event loop for one.
   * Default: each write commits at once.
   */
  write?: <T>(work: () => T) => Promise<T>;
}

// Slack errors that retrying cannot fix: the item is dropped (and logged) so it does not block its channel forever.
const PERMANENT = new Set([
  'channel_not_found',
  'is_archived',
  'msg_too_long',
  'invalid_blocks',
  'invalid_arguments',
  'not_authed',
  'invalid_auth',
  'account_inactive',
  'token_revoked',
  'missing_scope',
  'restricted_action',
  'no_text',
]);

/**
 * `unreachable`: the failure says nothing about this message and everything about Slack (no connection, a timeout,
 * a 5xx): every channel would fail the same way, so the whole sender waits instead of each channel finding out.
 */
type Failure =
  | { kind: 'retry'; afterMs: number; code: string; unreachable: boolean }
  | { kind: 'permanent'; code: string };

const backoffMs = (failures: number) => Math.min(300_000, 1000 * 2 ** Math.min(failures, 9));

function classify(error: unknown, attempts: number): Failure {
  const backoff = backoffMs(attempts);
  const e = error as { code?: string; retryAfter?: number; data?: { error?: string }; statusCode?: number };
  if (e.code === ErrorCode.RateLimitedError)
    return { kind: 'retry', afterMs: (e.retryAfter ?? 1) * 1000, code: 'ratelimited', unreachable: false };
  if (e.code === ErrorCode.PlatformError) {
    const code = e.data?.error ?? 'unknown_error';
    return PERMANENT.has(code)
      ? { kind: 'permanent', code }
      : { kind: 'retry', afterMs: backoff, code, unreachable: false };
  }
  if (e.code === ErrorCode.HTTPError) {
    const unreachable = (e.statusCode ?? 500) >= 500;
    return { kind: 'retry', afterMs: backoff, code: `http_${e.statusCode ?? 'error'}`, unreachable };
  }
  if (e.code === ErrorCode.RequestError) return { kind: 'retry', afterMs: backoff, code: e.code, unreachable: true };
  return { kind: 'retry', afterMs: backoff, code: e.code ?? 'request_failed', unreachable: false };
}

/** The event_type our posts carry, so a post whose answer was lost can be found again instead of sent twice. */
export const OUTBOX_METADATA_TYPE = 'paykore_outbox';

/**
 * After a failure that leaves it unknown whether Slack took the message (a timeout, a 5xx, a network error), or a
 * lease left by a process that died mid-send, the message may already be in the channel.
 */
function mayHaveLanded(item: OutboxItem, owner: string): boolean {
  if (item.leaseOwner !== null && item.leaseOwner !== owner) return true;
  return (
    item.attempts > 0 && /^error:(slack_webapi_request_error|http_5\d\d|request_failed)/.test(item.lastResult ?? '')
  );
}

/**
 * Sends what the outbox owes Slack, oldest first, keeping each channel in order: when one message waits
 * (429 Retry-After, 5xx, timeout), the later ones in its channel wait behind it. Records are already committed;
 * only their announcement is late.
 */
export class OutboxSender {
  private running: Promise<void> | null = null;
  private again = false;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  /** While Slack is unreachable: no call before this time, and how many passes in a row found it so. */
  private pausedUntil = 0;
  private unreachableFailures = 0;
  private readonly leaseMs: number;
  private readonly write: <T>(work: () => T) => Promise<T>;

  constructor(private readonly options: OutboxSenderOptions) {
    this.leaseMs = options.leaseMs ?? 60_000;
    this.write = options.write ?? (async (work) => work());
  }

  /** Asks for a send pass soon; passes never overlap. */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.loop()
      .catch((error: unknown) => {
        // A pass that fails (the database closing under it at shutdown) is logged; the next kick tries again.
        this.options.logger.error({ error }, 'outbox send pass failed');
      })
      .finally(() => {
        this.running = null;
      });
  }

  /** Sends everything due now and resolves when done (tests and shutdown await this). */
  async drain(): Promise<void> {
    this.kick();
    while (this.running) await this.running;
  }

  /** Stops taking new passes; resolves when the one in flight ends. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    while (this.running) await this.running;
  }

  pendingCount(): number {
    return this.options.store.outbox.countPending();
  }

  private async loop(): Promise<void> {
    do {
      this.again = false;
      await this.pass();
    } while (this.again && !this.stopped);
    this.scheduleWakeUp();
  }

  private scheduleWakeUp(): void {
    if (this.stopped) return;
    const next = this.options.store.outbox.earliestPendingAt(this.options.owner);
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (next === null) return;
    const earliest = Math.max(next, this.pausedUntil);
    const wait = Math.min(60_000, Math.max(50, earliest - this.now()));
    this.timer = setTimeout(() => this.kick(), wait);
    this.timer.unref();
  }

  private now(): number {
    return this.options.clock().getTime();
  }

  /**
   * Sends each channel's head while it is due, round after round, until every channel is empty, waiting or held.
   * Only heads are read: a backlog queued behind a waiting message costs nothing until its turn.
   */
  private async pass(): Promise<void> {
    const { store } = this.options;
    const held = new Set<string>();
    // Card refreshes a card sent earlier in this pass already drew: already marked, neither sent nor waited for.
    const coveredUpTo = new Map<string, number>();
    for (;;) {
      if (this.stopped || this.now() < this.pausedUntil) return;
      const heads = store.outbox.dueHeads(this.now()).filter((item) => !held.has(item.channelId));
      if (heads.length === 0) return;
      for (const item of heads) {
        if (this.stopped || this.now() < this.pausedUntil) return;
        // A refresh an earlier card of this pass covered is marked in that card's commit and is never a head again;
        // should one come back all the same, its channel waits for the next pass rather than spin.
        const covered = item.kind === 'card' && item.id <= (coveredUpTo.get(item.subject) ?? 0);
        if (covered || !(await this.sendOne(item, coveredUpTo))) held.add(item.channelId);
      }
    }
  }

  /** Claims, sends and records one message; false when its channel must wait (a failure, or another's lease). */
  private async sendOne(item: OutboxItem, coveredUpTo: Map<string, number>): Promise<boolean> {
    const { store, logger } = this.options;
    const now = this.now();
    const claimed = await this.write(() => store.outbox.claim(item.id, this.options.owner, now, this.leaseMs));
    if (!claimed) return false;
    try {
      // What the send learned (a new card's ts, refreshes it covered) is recorded in the commit of its sent mark.
      const records: (() => void)[] = [];
      const result = await this.send(item, records, coveredUpTo);
      await this.write(() => {
        for (const record of records) record();
        store.outbox.markSent(item.id, this.now(), result);
      });
      this.unreachableFailures = 0;
      return true;
    } catch (error) {
      const failure = classify(error, item.attempts);
      if (failure.kind === 'permanent') {
        logger.error(
          { outboxId: item.id, kind: item.kind, subject: item.subject, error: failure.code },
          'Slack refused a message for good; dropped',
        );
        await this.write(() => store.outbox.markSent(item.id, this.now(), `failed:${failure.code}`));
        return true;
      }
      let retryInMs = failure.afterMs;
      if (failure.unreachable) {
        retryInMs = Math.max(retryInMs, backoffMs(this.unreachableFailures));
        this.unreachableFailures += 1;
        this.pausedUntil = this.now() + retryInMs;
      }
      logger.warn(
        {
          outboxId: item.id,
          kind: item.kind,
          subject: item.subject,
          error: failure.code,
          retryInMs,
          ...(failure.unreachable ? { pendingSlackMessages: store.outbox.countPending() } : {}),
        },
        failure.unreachable
          ? 'Slack unreachable; every channel waits, then one call tries again'
          : 'Slack call failed; will retry',
      );
      await this.write(() => store.outbox.markRetry(item.id, this.now() + failure.afterMs, failure.code));
      return false;
    }
  }

  private renderer(subject: string): SubjectRenderer {
    const prefix = subject.split('-')[0] ?? subject;
    const renderer = this.options.renderers[prefix];
    if (!renderer) throw new BotError('no_renderer', `no renderer for ${subject}`);
    return renderer;
  }

  private async send(item: OutboxItem, records: (() => void)[], coveredUpTo: Map<string, number>): Promise<string> {
    const { client, store } = this.options;
    const renderer = this.renderer(item.subject);
    switch (item.kind) {
      case 'card': {
        const upTo = store.outbox.lastPendingCard(item.subject) ?? item.id;
        const card = renderer.card?.(item.subject);
        if (!card) return 'skipped';
        const ts = await this.postOrUpdate(item, card, records);
        records.push(() => store.outbox.coalesceCardsUpTo(item.subject, upTo, item.id, this.now()));
        coveredUpTo.set(item.subject, upTo);
        return ts;
      }
      case 'thread': {
        const reply = renderer.threadReply?.(item.subject, item.payload);
        if (!reply) return 'skipped';
        if (!reply.threadTs) throw new BotError('card_not_posted', 'card not posted yet');
        const message = { text: reply.text, ...(reply.blocks ? { blocks: reply.blocks } : {}) };
        return this.postOnce(item, reply.channelId, message, reply.threadTs);
      }
      case 'post': {
        const text = String(item.payload.text ?? '');
        const blocks = Array.isArray(item.payload.blocks) ? (item.payload.blocks as KnownBlock[]) : undefined;
        return this.postOnce(item, item.channelId, { text, ...(blocks ? { blocks } : {}) }, null);
      }
      case 'task': {
        if (!renderer.task) return 'skipped';
        const outcome = await renderer.task(item.subject, item.payload);
        if (outcome.record) records.push(outcome.record);
        // A task usually owes more messages (a room's card and pointer): they are sent in this drain, not later.
        this.again = true;
        return outcome.result;
      }
      case 'file': {
        const file = await renderer.file?.(item.subject, item.payload);
        if (!file) return 'skipped';
        const uploaded = await this.withJoin(file.channelId, () =>
          client.filesUploadV2({
            channel_id: file.channelId,
            file: Buffer.from(file.content, 'utf8'),
            filename: file.filename,
            title: file.title,
            initial_comment: file.comment,
          }),
        );
        const files = (uploaded as { files?: { files?: { id?: string }[] }[] }).files ?? [];
        return (
          files
            .flatMap((f) => f.files ?? [])
            .map((f) => f.id)
            .join(',') || 'uploaded'
        );
      }
    }
  }

  private async postOrUpdate(item: OutboxItem, card: RenderedCard, records: (() => void)[]): Promise<string> {
    const { client } = this.options;
    const witness: Record<string, string | number> = card.witness
      ? { record_stream: card.witness.stream, record_count: card.witness.count, record_head: card.witness.head }
      : {};
    if (card.ts) {
      try {
        await client.chat.update({
          channel: card.channelId,
          ts: card.ts,
          text: card.text,
          blocks: card.blocks,
          metadata: {
            event_type: OUTBOX_METADATA_TYPE,
            event_payload: { outbox_id: item.id, subject: item.subject, ...witness },
          },
        });
        return card.ts;
      } catch (error) {
        const code = (error as { data?: { error?: string } }).data?.error;
        // The card was deleted: post it again rather than lose it.
        if (code !== 'message_not_found' && code !== 'cant_update_message') throw error;
      }
    }
    const ts = await this.postOnce(item, card.channelId, { text: card.text, blocks: card.blocks }, null, witness);
    records.push(() => card.saveTs(ts));
    return ts;
  }

  /**
   * Posts a message tagged with its outbox id. When an earlier try may have landed, looks for the tag in the
   * channel (or thread) first and adopts that message instead of posting it twice.
   */
  private async postOnce(
    item: OutboxItem,
    channelId: string,
    message: { text: string; blocks?: KnownBlock[] },
    threadTs: string | null,
    witness: Record<string, string | number> = {},
  ): Promise<string> {
    const { client } = this.options;
    if (mayHaveLanded(item, this.options.owner)) {
      const found = await this.findPosted(item, channelId, threadTs);
      if (found) {
        this.options.logger.info(
          { outboxId: item.id, subject: item.subject },
          'message had reached Slack before; not posted again',
        );
        return found;
      }
    }
    const metadata = {
      event_type: OUTBOX_METADATA_TYPE,
      event_payload: { outbox_id: item.id, subject: item.subject, ...witness },
    };
    const posted = await this.withJoin(channelId, () =>
      client.chat.postMessage({
        channel: channelId,
        ...message,
        ...(threadTs ? { thread_ts: threadTs } : {}),
        metadata,
      }),
    );
    return String(posted.ts ?? '');
  }

  private async findPosted(item: OutboxItem, channelId: string, threadTs: string | null): Promise<string | null> {
    const { client } = this.options;
    try {
      const page = threadTs
        ? await client.conversations.replies({
            channel: channelId,
            ts: threadTs,
            include_all_metadata: true,
            limit: 200,
          })
        : await client.conversations.history({ channel: channelId, include_all_metadata: true, limit: 100 });
      const match = (page.messages ?? []).find((message) => {
        const metadata = message.metadata as
          | { event_type?: string; event_payload?: Record<string, unknown> }
          | undefined;
        return (
          metadata?.event_type === OUTBOX_METADATA_TYPE &&
          metadata.event_payload?.outbox_id === item.id &&
          metadata.event_payload?.subject === item.subject
        );
      });
      return match?.ts ?? null;
    } catch (error) {
      // Looking back is best effort: when it fails, posting (perhaps twice) beats never posting.
      this.options.logger.warn(
        { outboxId: item.id, error },
        'could not check whether a message had already reached Slack',
      );
      return null;
    }
  }

  /** A public channel the bot has not joined answers not_in_channel: join once and try again. */
  private async withJoin<T>(channelId: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      if ((error as { data?: { error?: string } }).data?.error !== 'not_in_channel') throw error;
      await this.options.client.conversations.join({ channel: channelId });
      return call();
    }
  }
}
