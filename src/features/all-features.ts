import { randomBytes } from 'node:crypto';
import { appHome } from './app-home';
import type { FeatureFactory } from './feature';
import { gitScanFeature } from './git-scan';
import { incidentPlaybook } from './incident-playbook';
import { incidentRooms } from './incident-rooms';
import { keyRegisterFeature } from './key-register';
import { leakDetection } from './leak-detection';
import { rateLimitSignals } from './rate-limit-signals';
import { timelineExport } from './timeline-export';

/**
 * Every feature of the bot, one line each. Order matters where features meet: the playbook comes first (its
 * subcommands are the defaults), and leak detection's command screen runs before any subcommand.
 */
export const FEATURES: FeatureFactory[] = [
  incidentPlaybook,
  leakDetection({ randomBytes }),
  timelineExport,
  keyRegisterFeature,
  appHome,
  incidentRooms,
  gitScanFeature({ randomBytes }),
  rateLimitSignals({ randomBytes }),
];
