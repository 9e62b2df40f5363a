import type { AllMiddlewareArgs, App, SlackActionMiddlewareArgs, SlackViewMiddlewareArgs } from '@slack/bolt';
import type { ModalView, WebClient } from '@slack/web-api';
import type { Authorizer, Capability } from '../../app/authorizer';
import type { IncidentService } from '../../app/incident-service';
import type { Logger } from '../../app/logger';
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

/** What every listener may use. Built once by main.ts; tests build it with real parts and a local Slack. */
export interface ListenerDeps {
  incidents: IncidentService;
  authorizer: Authorizer;
  logger: Logger;
  /** Wakes the outbox sender after a commit. */
  notify(): void;
  /** A client for views.open that never waits behind a throttled queue: trigger_id lives 3 seconds. */
  viewsClient: WebClient;
}

export interface ActionContext {
  payload: BlockActionPayload;
  action: BlockActionPayload['actions'][number];
  actor: string;
  /** A reply only the clicker sees. */
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
  run(ctx: ActionContext, deps: ListenerDeps): Promise<void>;
}

export interface ViewSpec {
  callbackId: CallbackIdValue;
  capability: Capability;
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

  constructor(
    private readonly app: App,
    private readonly deps: ListenerDeps,
  ) {}

  notResponderText(): string {
    return `Only the incident responders may do this (${this.deps.authorizer.describe()}). Ask one of them, or ask an admin to add you to RESPONDERS.`;
  }

  action(spec: ActionSpec): void {
    if (this.actions.has(spec.actionId)) throw new Error(`action ${spec.actionId} registered twice`);
    this.actions.set(spec.actionId, spec.capability);
    this.app.action(spec.actionId, async (args: SlackActionMiddlewareArgs & AllMiddlewareArgs) => {
      await args.ack();
      const parsed = blockActionPayloadSchema.safeParse(args.body);
      if (!parsed.success) {
        this.deps.logger.warn(
          { actionId: spec.actionId, issues: parsed.error.issues.length },
          'malformed block action ignored',
        );
        return;
      }
      const payload = parsed.data;
      const action = payload.actions[0]!;
      const reply = async (text: string) => {
        if (!payload.response_url) return;
        await args.respond({ response_type: 'ephemeral', replace_original: false, text });
      };
      const ctx: ActionContext = {
        payload,
        action,
        actor: payload.user.id,
        reply,
        openView: async (view) => {
          await this.deps.viewsClient.views.open({ trigger_id: payload.trigger_id, view });
        },
        clickKey: `action:${payload.user.id}:${action.action_ts}:${action.action_id}`,
      };
      if (!(await this.deps.authorizer.allows(ctx.actor, spec.capability))) {
        const incidentId = incidentRefSchema.safeParse(action.value ?? '');
        if (incidentId.success) this.recordRefusal(incidentId.data, ctx.actor, spec.actionId, ctx.clickKey);
        await reply(this.notResponderText());
        return;
      }
      await spec.run(ctx, this.deps);
    });
  }

  view(spec: ViewSpec): void {
    if (this.views.has(spec.callbackId)) throw new Error(`view ${spec.callbackId} registered twice`);
    this.views.set(spec.callbackId, spec.capability);
    this.app.view(spec.callbackId, async (args: SlackViewMiddlewareArgs & AllMiddlewareArgs) => {
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
      const ctx: ViewContext = {
        payload,
        actor: payload.user.id,
        submitKey: `view:${payload.view.id}`,
        replyIn: async (channelId, text) => {
          await args.client.chat.postEphemeral({ channel: channelId, user: payload.user.id, text });
        },
      };
      if (!(await this.deps.authorizer.allows(ctx.actor, spec.capability))) {
        const metadata = parseMetadata(incidentMetadataSchema, payload.view.private_metadata);
        if (metadata) this.recordRefusal(metadata.incidentId, ctx.actor, spec.callbackId, ctx.submitKey);
        const firstBlock = Object.keys(payload.view.state.values)[0];
        if (firstBlock) {
          await args.ack({
            response_action: 'errors',
            errors: { [firstBlock]: this.notResponderText().slice(0, 150) },
          });
        } else {
          await args.ack();
        }
        return;
      }
      const answer = await spec.run(ctx, this.deps);
      if (answer && 'errors' in answer) {
        await args.ack({ response_action: 'errors', errors: answer.errors });
        return;
      }
      await args.ack();
      this.deps.notify();
      await answer?.after();
    });
  }

  private recordRefusal(incidentId: number, actor: string, action: string, key: string): void {
    this.deps.incidents.recordRefusal({
      incidentId,
      actor,
      action,
      code: 'not_a_responder',
      reason: 'not listed in RESPONDERS',
      idempotencyKey: key,
    });
  }
}
