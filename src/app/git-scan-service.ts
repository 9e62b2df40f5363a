import type { GitScanRepository } from '../db/git-scan-repository';
import type { KeyRepository } from '../db/key-repository';
import type { LeakRepository } from '../db/leak-repository';
import type { KeyFinding } from '../domain/git-scan/findings';
import { leakRef } from '../domain/leak';
import { BOT_ACTOR, incidentRef } from '../domain/types';
import { gitLeakWarning } from '../slack/blocks/git-leak-message';
import type { Clock } from './clock';
import type { IncidentService } from './incident-service';
import { LEAKS_STREAM } from './leak-service';
import type { Store } from './store';

export interface GitScanChannels {
  signalsChannel?: string | undefined;
  reminderChannel?: string | undefined;
}

export interface GitScanServiceOptions {
  store: Store;
  leaks: LeakRepository;
  keys: KeyRepository;
  scans: GitScanRepository;
  clock: Clock;
  channels: GitScanChannels;
  /** Tells an open incident that its key was found in Git too. */
  incidents: Pick<IncidentService, 'recordBotFact'>;
}

export interface RecordedScan {
  /** New keys, each with one warning queued. */
  posted: KeyFinding[];
  /** Keys the bot already knew (from Slack or an earlier scan): recorded where found, not posted again. */
  known: KeyFinding[];
  /** New keys with nowhere to post: no channel on a registered key, SIGNALS_CHANNEL and REMINDER_CHANNEL empty. */
  unposted: KeyFinding[];
}

/**
 * A Git find is a sighting of a leak, like a key pasted in Slack: same fingerprint, same leak, one incident.
 * Only findings are handed in (mode, last four, fingerprint, where): the key never reaches this service.
 */
export class GitScanService {
  constructor(private readonly options: GitScanServiceOptions) {}

  /** What the register and the leak record know of each finding: for every output format. */
  annotate(findings: KeyFinding[]): KeyFinding[] {
    const { store, leaks, keys } = this.options;
    const registered = keys.list().filter((key) => key.kind === 'secret');
    return findings.map((finding) => {
      const same = registered.filter((key) => key.mode === finding.mode && key.last4 === finding.last4);
      const inUse = same.find((key) => key.status === 'active' || key.status === 'rotating') ?? same[0];
      const leak = leaks.findByFingerprint(finding.fingerprint);
      const incident = leak?.incidentId ? store.incidents.get(leak.incidentId) : null;
      return {
        ...finding,
        registered: inUse ? { label: inUse.label, environment: inUse.environment, status: inUse.status } : null,
        knownLeak: leak ? { leak: leakRef(leak.id), incident: incident ? incidentRef(incident.id) : null } : null,
      };
    });
  }

  /** Where a warning about this key goes: the registered key's channel, else SIGNALS_CHANNEL, else REMINDER_CHANNEL. */
  channelFor(finding: Pick<KeyFinding, 'mode' | 'last4'>): string | null {
    const { keys, channels } = this.options;
    const own = keys
      .list()
      .find(
        (key) => key.kind === 'secret' && key.mode === finding.mode && key.last4 === finding.last4 && key.channelId,
      );
    return own?.channelId || channels.signalsChannel || channels.reminderChannel || null;
  }

  tips(repository: string): string[] {
    return this.options.scans.tips(repository);
  }

  /**
   * Records one scan in one transaction: each new key becomes a leak with one warning queued; a key already known
   * gets a Git sighting (so its incident's export says where it was found) and no second warning. The tips are
   * saved only when every new key had somewhere to go, so a key without a channel is found again next time.
   */
  record(scan: { repository: string; tips: readonly string[]; findings: readonly KeyFinding[] }): RecordedScan {
    const { store, leaks, scans } = this.options;
    const now = this.options.clock().getTime();
    return store.transaction(() => {
      const result: RecordedScan = { posted: [], known: [], unposted: [] };
      for (const finding of scan.findings) {
        const commit = finding.firstCommit;
        if (!commit) continue;
        const location = `${scan.repository} @ ${commit.sha}: ${finding.firstLocation.path}`;
        const known = leaks.findByFingerprint(finding.fingerprint);
        const channelId = known?.firstChannelId ?? this.channelFor(finding);
        if (!channelId) {
          result.unposted.push(finding);
          continue;
        }
        const leakId =
          known?.id ??
          leaks.insert({
            mode: finding.mode,
            last4: finding.last4,
            fingerprint: finding.fingerprint,
            firstChannelId: channelId,
            firstMessageTs: null,
            firstPoster: BOT_ACTOR,
            firstSeenAt: now,
            firstExposedAt: Math.min(commit.authoredAt, now),
          });
        const sightingId = leaks.addSighting({
          leakId,
          source: 'git',
          notice: known ? 'again' : 'first',
          channelId,
          messageTs: null,
          threadTs: null,
          poster: BOT_ACTOR,
          seenAt: now,
          exposedAt: Math.min(commit.authoredAt, now),
          eventId: null,
          sourceKey: `git:${scan.repository}:${leakRef(leakId)}`,
          location,
        });
        if (known) result.known.push(finding);
        // Found in this repository before: nothing new to record or say.
        if (sightingId === null) continue;
        const incident = known?.incidentId ? store.incidents.get(known.incidentId) : null;
        if (incident?.status === 'open') {
          // Its room hears where else the key is, and when it was first committed: often long before anyone
          // pasted it, which moves the start of the window whose transactions need reviewing.
          this.options.incidents.recordBotFact(
            incident.id,
            'key_seen_again',
            {
              leak: leakRef(leakId),
              source: 'git',
              channelId,
              messageTs: null,
              poster: BOT_ACTOR,
              repository: scan.repository,
              commit: commit.sha,
              path: finding.firstLocation.path,
              exposedAt: Math.min(commit.authoredAt, now),
              recordedExposureStart: incident.exposureStart ?? incident.openedAt,
            },
            `git-into-incident:${sightingId}`,
          );
        }
        store.events.append(
          {
            stream: LEAKS_STREAM,
            at: now,
            actor: BOT_ACTOR,
            type: 'leak_detected',
            details: {
              leak: leakRef(leakId),
              leakId,
              mode: finding.mode,
              last4: finding.last4,
              notice: known ? 'again' : 'first',
              source: 'git',
              channelId,
              messageTs: null,
              poster: BOT_ACTOR,
              exposedAt: Math.min(commit.authoredAt, now),
              repository: scan.repository,
              commit: commit.sha,
              path: finding.firstLocation.path,
            },
          },
          `leak-sighting:${sightingId}`,
        );
        if (known) continue;
        const message = gitLeakWarning(
          { id: leakId, mode: finding.mode, last4: finding.last4 },
          {
            repository: scan.repository,
            commit: commit.sha,
            author: commit.authorName,
            authoredAt: commit.authoredAt,
            path: finding.firstLocation.path,
            headLocations: finding.headLocations,
          },
        );
        store.outbox.enqueue(
          {
            channelId,
            kind: 'post',
            subject: leakRef(leakId),
            payload: { text: message.text, blocks: message.blocks },
            dedupeKey: `git-leak:${leakId}`,
          },
          now,
        );
        result.posted.push(finding);
      }
      if (result.unposted.length === 0) scans.saveTips(scan.repository, scan.tips, now);
      return result;
    });
  }
}
