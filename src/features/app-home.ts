import { HomeService } from '../app/home-service';
import { appHomeOpened } from '../slack/listeners/events/app-home-opened';
import type { FeatureFactory } from './feature';
import { buildKeyRegister } from './key-register';

/**
 * The App Home (PRODUCT.md section 9's "look at it first in Slack"): open incidents with their next step and
 * exposure so far, keys overdue or due within 14 days, and for responders the card's buttons.
 */
export const appHome: FeatureFactory = (ctx) => {
  // Reads only: this register instance never ticks or writes (the key register feature owns that).
  const keys = buildKeyRegister({
    store: ctx.store,
    clock: ctx.clock,
    logger: ctx.logger,
    settings: ctx.config,
  }).register;
  const home = new HomeService({ incidents: ctx.incidents, keys, clock: ctx.clock });
  return {
    feature: {
      register(app, deps) {
        appHomeOpened(app, home, deps);
      },
    },
  };
};
