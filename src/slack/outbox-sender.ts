import type { KnownBlock } from '@slack/types';
import { ErrorCode, type WebClient } from '@slack/web-api';
import type { Clock } from '../app/clock';
import type { Logger } from '../app/logger';
import type { Store } from '../app/store';
import type { OutboxItem } from '../db/outbox-repository';

export interface RenderedCard {
  channelId: string;
  text: string;
  blocks: KnownBlock[];
  /** The card's ts once posted; null posts a new one. */
  ts: string | null;
  saveTs(ts: string): void;
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

/** How the messages about one kind of subject (`INC`, `ROT`, …) are drawn, from the state at send time. */
export interface SubjectRenderer {
  card?(subject: string): RenderedCard | null;
  threadReply?(subject: string, payload: Record<string, unknown>): RenderedThreadReply | null;
  file?(subject: string, payload: Record<string, unknown>): RenderedFile | null;
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

type Failure = { kind: 'retry'; afterMs: number; code: string } | { kind: 'permanent'; code: string };

function classify(error: unknown, attempts: number): Failure {
  const backoff = Math.min(300_000, 1000 * 2 ** Math.min(attempts, 9));
  const e = error as { code?: string; retryAfter?: number; data?: { error?: string }; statusCode?: number };
  if (e.code === ErrorCode.RateLimitedError)
    return { kind: 'retry', afterMs: (e.retryAfter ?? 1) * 1000, code: 'ratelimited' };
  if (e.code === ErrorCode.PlatformError) {
    const code = e.data?.error ?? 'unknown_error';
    return PERMANENT.has(code) ? { kind: 'permanent', code } : { kind: 'retry', afterMs: backoff, code };
  }
  if (e.code === ErrorCode.HTTPError)
    return { kind: 'retry', afterMs: backoff, code: `http_${e.statusCode ?? 'error'}` };
  return { kind: 'retry', afterMs: backoff, code: e.code ?? 'request_failed' };
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
  private readonly leaseMs: number;

  constructor(private readonly options: OutboxSenderOptions) {
    this.leaseMs = options.leaseMs ?? 60_000;
  }

  /** Asks for a send pass soon; passes never overlap. */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.loop().finally(() => {
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
    const earliest = this.options.store.outbox.earliestPendingAt();
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (earliest === null) return;
    const wait = Math.min(60_000, Math.max(50, earliest - this.now()));
    this.timer = setTimeout(() => this.kick(), wait);
    this.timer.unref();
  }

  private now(): number {
    return this.options.clock().getTime();
  }

  private async pass(): Promise<void> {
    const { store, logger } = this.options;
    const held = new Set<string>();
    for (const item of store.outbox.listPending()) {
      if (this.stopped) return;
      if (held.has(item.channelId)) continue;
      const now = this.now();
      if (item.notBefore > now || !store.outbox.claim(item.id, this.options.owner, now, this.leaseMs)) {
        held.add(item.channelId);
        continue;
      }
      try {
        const result = await this.send(item);
        store.outbox.markSent(item.id, this.now(), result);
      } catch (error) {
        const failure = classify(error, item.attempts);
        if (failure.kind === 'permanent') {
          logger.error(
            { outboxId: item.id, kind: item.kind, subject: item.subject, error: failure.code },
            'Slack refused a message for good; dropped',
          );
          store.outbox.markSent(item.id, this.now(), `failed:${failure.code}`);
        } else {
          logger.warn(
            {
              outboxId: item.id,
              kind: item.kind,
              subject: item.subject,
              error: failure.code,
              retryInMs: failure.afterMs,
            },
            'Slack call failed; will retry',
          );
          store.outbox.markRetry(item.id, this.now() + failure.afterMs, failure.code);
          held.add(item.channelId);
        }
      }
    }
  }

  private renderer(subject: string): SubjectRenderer {
    const prefix = subject.split('-')[0] ?? subject;
    const renderer = this.options.renderers[prefix];
    if (!renderer) throw Object.assign(new Error(`no renderer for ${subject}`), { code: 'no_renderer' });
    return renderer;
  }

  private async send(item: OutboxItem): Promise<string> {
    const { client, store } = this.options;
    const renderer = this.renderer(item.subject);
    switch (item.kind) {
      case 'card': {
        const upTo = store.outbox.lastPendingCard(item.subject) ?? item.id;
        const card = renderer.card?.(item.subject);
        if (!card) return 'skipped';
        const ts = await this.postOrUpdate(card);
        store.outbox.coalesceCardsUpTo(item.subject, upTo, item.id, this.now());
        return ts;
      }
      case 'thread': {
        const reply = renderer.threadReply?.(item.subject, item.payload);
        if (!reply) return 'skipped';
        if (!reply.threadTs) throw Object.assign(new Error('card not posted yet'), { code: 'card_not_posted' });
        const posted = await this.withJoin(reply.channelId, () =>
          client.chat.postMessage({
            channel: reply.channelId,
            thread_ts: reply.threadTs ?? undefined,
            text: reply.text,
            ...(reply.blocks ? { blocks: reply.blocks } : {}),
          }),
        );
        return String(posted.ts ?? '');
      }
      case 'post': {
        const text = String(item.payload.text ?? '');
        const blocks = Array.isArray(item.payload.blocks) ? (item.payload.blocks as KnownBlock[]) : undefined;
        const posted = await this.withJoin(item.channelId, () =>
          client.chat.postMessage({ channel: item.channelId, text, ...(blocks ? { blocks } : {}) }),
        );
        return String(posted.ts ?? '');
      }
      case 'file': {
        const file = renderer.file?.(item.subject, item.payload);
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

  private async postOrUpdate(card: RenderedCard): Promise<string> {
    const { client } = this.options;
    if (card.ts) {
      try {
        await client.chat.update({ channel: card.channelId, ts: card.ts, text: card.text, blocks: card.blocks });
        return card.ts;
      } catch (error) {
        const code = (error as { data?: { error?: string } }).data?.error;
        // The card was deleted: post it again rather than lose it.
        if (code !== 'message_not_found' && code !== 'cant_update_message') throw error;
      }
    }
    const posted = await this.withJoin(card.channelId, () =>
      client.chat.postMessage({ channel: card.channelId, text: card.text, blocks: card.blocks }),
    );
    const ts = String(posted.ts ?? '');
    card.saveTs(ts);
    return ts;
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
