import type { AllMiddlewareArgs, App, SlackEventMiddlewareArgs } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { z } from 'zod';
import type { HomeService } from '../../../app/home-service';
import { appHomeView } from '../../blocks/app-home';
import { userIdSchema } from '../../parse';
import type { ListenerDeps } from '../registry';

const appHomeOpenedSchema = z.object({
  event_id: z.string().max(100).optional(),
  event: z.object({
    type: z.literal('app_home_opened'),
    user: userIdSchema,
    // Absent in old deliveries; `messages` when the person opened the Messages tab, which this app does not use.
    tab: z.enum(['home', 'messages']).optional(),
  }),
});

/** A click on one of the Home tab's own buttons (block_actions from a `home` view, without a channel). */
const homeClickSchema = z.object({
  type: z.literal('block_actions'),
  user: z.object({ id: userIdSchema }),
  view: z.object({ type: z.literal('home') }),
});

async function publishHome(client: WebClient, home: HomeService, deps: ListenerDeps, userId: string): Promise<void> {
  const snapshot = home.snapshot();
  // Only incidents of channels the person is in: a private channel's incident is not shown to outsiders.
  const visible = [];
  for (const incident of snapshot.incidents) {
    if (await deps.membership.isMember(userId, incident.channelId)) visible.push(incident);
  }
  const view = appHomeView({
    ...snapshot,
    incidents: visible,
    canAct: await deps.authorizer.allows(userId, 'responder'),
    responders: deps.authorizer.describe(),
  });
  await client.views.publish({ user_id: userId, view });
}

/**
 * `app_home_opened` draws the person's Home tab (views.publish). Its buttons are the incident card's, so the
 * card's handlers record the clicks; once they have (a global middleware's next() waits for every listener),
 * the clicker's Home is drawn again so it shows the new state.
 */
export function appHomeOpened(app: App, home: HomeService, deps: ListenerDeps): void {
  app.event('app_home_opened', async (args: SlackEventMiddlewareArgs<'app_home_opened'> & AllMiddlewareArgs) => {
    const parsed = appHomeOpenedSchema.safeParse(args.body);
    if (!parsed.success) {
      deps.logger.warn({ issues: parsed.error.issues.length }, 'malformed app_home_opened ignored');
      return;
    }
    if (parsed.data.event.tab === 'messages') return;
    await publishHome(args.client, home, deps, parsed.data.event.user);
  });
  app.use(async ({ body, client, next }) => {
    await next();
    const click = homeClickSchema.safeParse(body);
    if (!click.success) return;
    try {
      await publishHome(client, home, deps, click.data.user.id);
    } catch (error) {
      deps.logger.warn({ error, userId: click.data.user.id }, 'could not redraw the Home tab after a click');
    }
  });
}
