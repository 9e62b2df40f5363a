import type { AllMiddlewareArgs, App, SlackActionMiddlewareArgs, SlackViewMiddlewareArgs } from '@slack/bolt';
import type { ModalView, WebClient } from '@slack/web-api';
import type { Authorizer, Capability } from '../../app/authorizer';
import type { ChannelMembership } from '../../app/channel-membership';
import type { IncidentService } from '../../app/incident-service';
import type { Logger } from '../../app/logger';
import type { RefusalRecorder } from '../../app/refusal-recorder';
import { errorCode } from '../../domain/bot-error';
import { COMMAND } from '../../domain/command-name';
import { incidentRef } from '../../domain/refs';
import { refuse } from '../../domain/refusal';
import { NOTHING_RECORDED, NOTHING_RECORDED_IN_FORM } from '../blocks/failure-text';
import { noticeModal } from '../blocks/modals/modal-parts';
import { refusalText } from '../blocks/refusal-text';
import type { ActionIdValue, CallbackIdValue } from '../ids';
import {
  type BlockActionPayload,
  blockActionPayloadSchema,
  incidentMetadataSchema,
  incidentRefSchema,
  parseMetadata,
  type ViewSubmissionPayload,
  viewSubmissionPayloadSchema,
} from '../parse';
import { secretFieldErrors } from './secret-fields';

function incidentStreamOf(value: string): string | null {
  const parsed = incidentRefSchema.safeParse(value);
  return parsed.success ? incidentRef(parsed.data) : null;
}

function incidentStreamOfMetadata(privateMetadata: string): string | null {
  const metadata = parseMetadata(incidentMetadataSchema, privateMetadata);
  return metadata ? incidentRef(metadata.incidentId) : null;
}

interface Replies {
  texts: string[];
  responseUrl: boolean;
  triggerId: string | null;
  /** The click's idempotency key once parsed: it names the request in logs and in the event log. */
  requestId: string | null;
}

/** What every listener may use. Built once by main.ts; tests build it with real parts and a local Slack. */
export interface ListenerDeps {
  incidents: IncidentService;
  refusals: RefusalRecorder;
  authorizer: Authorizer;
  /** Who is in an incident's channel: checked for clicks that carry no channel (the App Home). */
  membership: ChannelMembership;
  logger: Logger;
  /** Wakes the outbox sender after a commit. */
  notify(): void;
  /** Runs a use-case in the next group commit: resolves once it is durable. State-changing handlers use this. */
  write<T>(work: () => T): Promise<T>;
  /** A client for views.open that never waits behind a throttled queue: trigger_id lives 3 seconds. */
  viewsClient: WebClient;
}

export interface ActionContext {
  payload: BlockActionPayload;
  action: BlockActionPayload['actions'][number];
  actor: string;
  /** A reply only the clicker sees, sent once the click is acknowledged. */
  reply(text: string): Promise<void>;
  openView(view: ModalView): Promise<void>;
  /** The idempotency key of this click. */
  clickKey: string;
}

export interface ViewContext {
  payload: ViewSubmissionPayload;
  actor: string;
  /** Tells the person, in the incident's channel, what happened to their submission. */
  replyIn(channelId: string, text: string): Promise<void>;
  submitKey: string;
}

/** Field errors keep the modal open; otherwise it closes, and `after` runs once Slack has its answer. */
export type ViewAnswer = { errors: Record<string, string> } | { after: () => Promise<void> } | undefined;

export interface ActionSpec {
  actionId: ActionIdValue;
  capability: Capability;
  /** 'first' for buttons that only open a form; by default the ack waits for the commit. */
  acknowledge?: 'first';
  /** The stream a click is about, from the button value (default: `INC-n`), for recording refusals. */
  subject?(value: string): string | null;
  run(ctx: ActionContext, deps: ListenerDeps): Promise<void>;
}

export interface ViewSpec {
  callbackId: CallbackIdValue;
  capability: Capability;
  /** The stream a submission is about, from private_metadata (default: the incident in it), for recording refusals. */
  subject?(privateMetadata: string): string | null;
  /** Fast, synchronous-ish work: its answer becomes the ack (field errors keep the modal open). */
  run(ctx: ViewContext, deps: ListenerDeps): Promise<ViewAnswer>;
}

/**
 * Every action and view goes through here, so none can be registered without saying who may use it.
 * The check runs before the handler; a refusal is answered, and recorded on the incident it names.
 */
export class ListenerRegistry {
  readonly actions = new Map<string, Capability>();
  readonly views = new Map<string, Capability>();
  readonly commands = new Map<string, Capability>();
  // Bolt runs every request through every listener it has (each with its own middleware chain), so all actions
  // share one Bolt listener and all views another, dispatched here by id: the cost per request stays flat as
  // features add buttons and forms.
  private readonly actionSpecs = new Map<string, ActionSpec>();
  private readonly viewSpecs = new Map<string, ViewSpec>();

  constructor(
    private readonly app: App,
    private readonly deps: ListenerDeps,
  ) {}

  /**
   * Someone outside RESPONDERS tried `action`: recorded on `stream` when it names one that exists (through the group
   * commit like every other write, so the answer goes out once it is durable), and answered with the reason.
   */
  async refuseNotResponder(stream: string | null, actor: string, action: string, key: string): Promise<string> {
    const refusal = this.deps.authorizer.refusal();
    if (stream) {
      await this.deps.write(() => this.deps.refusals.record({ stream, actor, action, refusal, idempotencyKey: key }));
    }
    return refusalText(refusal);
  }

  action(spec: ActionSpec): void {
    if (this.actions.has(spec.actionId)) throw new Error(`action ${spec.actionId} registered twice`);
    this.actions.set(spec.actionId, spec.capability);
    this.actionSpecs.set(spec.actionId, spec);
  }

  private async handleAction(spec: ActionSpec, args: SlackActionMiddlewareArgs & AllMiddlewareArgs): Promise<void> {
    // A button that records something acknowledges after the commit, so an ack always means "recorded";
    // one that opens a form acknowledges first and leaves its 3-second trigger_id to views.open.
    const ackFirst = spec.acknowledge === 'first';
    if (ackFirst) await args.ack();
    const replies: Replies = { texts: [], responseUrl: false, triggerId: null, requestId: null };
    try {
      await this.runAction(spec, args.body, replies);
    } catch (error) {
      // The write rolled back (or never ran): the ack below must not pass for "recorded" unexplained.
      this.handlerFailed(error, { actionId: spec.actionId, requestId: replies.requestId });
      replies.texts = [NOTHING_RECORDED];
    }
    if (!ackFirst) await args.ack();
    if (replies.responseUrl) {
      for (const text of replies.texts) {
        await args.respond({ response_type: 'ephemeral', replace_original: false, text });
      }
    } else if (replies.texts.length > 0 && replies.triggerId) {
      // A click on the App Home has no response_url: the answer opens as a small notice instead.
      await this.deps.viewsClient.views.open({
        trigger_id: replies.triggerId,
        view: noticeModal(replies.texts.join('\n\n')),
      });
    }
  }

  private async runAction(spec: ActionSpec, body: unknown, replies: Replies): Promise<void> {
    const parsed = blockActionPayloadSchema.safeParse(body);
    if (!parsed.success) {
      this.deps.logger.warn(
        { actionId: spec.actionId, issues: parsed.error.issues.length },
        'malformed block action ignored',
      );
      return;
    }
    const payload = parsed.data;
    replies.responseUrl = Boolean(payload.response_url);
    replies.triggerId = payload.trigger_id;
    const action = payload.actions[0]!;
    replies.requestId = `action:${payload.user.id}:${action.action_ts}:${action.action_id}`;
    const ctx: ActionContext = {
      payload,
      action,
      actor: payload.user.id,
      reply: async (text) => {
        replies.texts.push(text);
      },
      openView: async (view) => {
        replies.triggerId = null; // a trigger_id opens one view only
        await this.deps.viewsClient.views.open({ trigger_id: payload.trigger_id, view });
      },
      clickKey: replies.requestId,
    };
    if (!(await this.deps.authorizer.allows(ctx.actor, spec.capability))) {
      const stream = (spec.subject ?? incidentStreamOf)(action.value ?? '');
      await ctx.reply(await this.refuseNotResponder(stream, ctx.actor, spec.actionId, ctx.clickKey));
      return;
    }
    if (!payload.channel?.id) {
      const refusal = await this.outsiderRefusal(ctx.actor, action.value ?? '');
      if (refusal) return ctx.reply(refusal);
    }
    await spec.run(ctx, this.deps);
  }

  /**
   * A click without a channel (the App Home) names an incident only by its id, so it could reach an incident of a
   * private channel the person is not in: such a click is refused before anything runs.
   */
  private async outsiderRefusal(actor: string, value: string): Promise<string | null> {
    const id = incidentRefSchema.safeParse(value);
    if (!id.success) return null;
    const incident = this.deps.incidents.get(id.data);
    if (!incident || (await this.deps.membership.isMember(actor, incident.channelId))) return null;
    return refusalText(refuse('not_channel_member', { incident: incident.id }));
  }

  view(spec: ViewSpec): void {
    if (this.views.has(spec.callbackId)) throw new Error(`view ${spec.callbackId} registered twice`);
    this.views.set(spec.callbackId, spec.capability);
    this.viewSpecs.set(spec.callbackId, spec);
  }

  private async handleView(spec: ViewSpec, args: SlackViewMiddlewareArgs & AllMiddlewareArgs): Promise<void> {
    const parsed = viewSubmissionPayloadSchema.safeParse(args.body);
    if (!parsed.success) {
      this.deps.logger.warn(
        { callbackId: spec.callbackId, issues: parsed.error.issues.length },
        'malformed view submission',
      );
      await args.ack({ response_action: 'errors', errors: {} } as never);
      return;
    }
    const payload = parsed.data;
    // Before who-may-act and before the handler: a form holding a secret key is never stored, whoever sent it.
    const secretErrors = secretFieldErrors(payload.view.state.values);
    if (secretErrors) {
      this.deps.logger.warn(
        { callbackId: spec.callbackId, fields: Object.keys(secretErrors) },
        'form with a key refused',
      );
      await args.ack({ response_action: 'errors', errors: secretErrors });
      return;
    }
    const ctx: ViewContext = {
      payload,
      actor: payload.user.id,
      submitKey: `view:${payload.view.id}`,
      replyIn: async (channelId, text) => {
        await args.client.chat.postEphemeral({ channel: channelId, user: payload.user.id, text });
      },
    };
    const firstBlock = Object.keys(payload.view.state.values)[0];
    // On a form, the answer goes on its first field (Slack's only private channel before the ack); without one, the
    // form just closes.
    const ackWith = (text: string) =>
      firstBlock ? args.ack({ response_action: 'errors', errors: { [firstBlock]: text.slice(0, 150) } }) : args.ack();
    let answer: ViewAnswer;
    try {
      if (!(await this.deps.authorizer.allows(ctx.actor, spec.capability))) {
        const stream = (spec.subject ?? incidentStreamOfMetadata)(payload.view.private_metadata);
        await ackWith(await this.refuseNotResponder(stream, ctx.actor, spec.callbackId, ctx.submitKey));
        return;
      }
      answer = await spec.run(ctx, this.deps);
    } catch (error) {
      // Never acknowledged yet: the form stays open with what the person typed, so submitting again is one click.
      this.handlerFailed(error, { callbackId: spec.callbackId, requestId: ctx.submitKey });
      await ackWith(NOTHING_RECORDED_IN_FORM);
      return;
    }
    if (answer && 'errors' in answer) {
      await args.ack({ response_action: 'errors', errors: answer.errors });
      return;
    }
    await args.ack();
    this.deps.notify();
    await answer?.after();
  }

  /**
   * Registers the one Bolt listener for actions and the one for views, after every spec is known. Buttons and
   * forms this version does not know (an old message, a forged payload) are acknowledged, answered, and change
   * nothing.
   */
  finish(): void {
    this.app.action({ action_id: /(?:)/ }, async (args: SlackActionMiddlewareArgs & AllMiddlewareArgs) => {
      const spec = this.actionSpecs.get((args.action as { action_id?: string }).action_id ?? '');
      if (spec) return this.handleAction(spec, args);
      await args.ack();
      this.deps.logger.info({ type: 'unknown_action' }, 'a button this version does not know was clicked');
      const parsed = blockActionPayloadSchema.safeParse(args.body);
      if (parsed.success && parsed.data.response_url) {
        await args.respond({
          response_type: 'ephemeral',
          replace_original: false,
          text: `That button belongs to an older message I no longer act on. Use \`${COMMAND} status\` to see where things stand.`,
        });
      }
    });
    this.app.view({ callback_id: /(?:)/ }, async (args: SlackViewMiddlewareArgs & AllMiddlewareArgs) => {
      const spec = this.viewSpecs.get(args.view.callback_id);
      if (spec) return this.handleView(spec, args);
      this.deps.logger.info({ type: 'unknown_view' }, 'a form this version does not know was submitted');
      await args.ack();
    });
  }

  /** Logs what a handler threw, with the request it belongs to; the caller tells the person. */
  handlerFailed(error: unknown, fields: Record<string, unknown>): void {
    this.deps.logger.error(
      { ...fields, code: errorCode(error) ?? 'unexpected', error },
      'handler failed: nothing recorded',
    );
  }
}
