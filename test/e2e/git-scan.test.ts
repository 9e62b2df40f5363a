import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { describeEvent } from '../../src/domain/timeline/describe-event';
import { ActionId } from '../../src/slack/ids';
import { BotHarness, BYSTANDER, CHANNEL } from '../support/bot-harness';
import { fakeSecretKey, maskOf } from '../support/fake-keys';
import { TestRepo } from '../support/git-repo';
import { eventBody, messageEvent } from '../support/payloads';
import { HOUR, MINUTE } from '../support/test-clock';

const buttonValue = (blocks: unknown) =>
  JSON.stringify(blocks ?? []).match(/"action_id":"leak_open_incident"[^}]*"value":"(LEAK-\d+)"/)?.[1];

describe('scheduled Git scans of SCAN_REPOS, end to end', () => {
  let h: BotHarness;
  let repo: TestRepo;
  const first = fakeSecretKey('live');
  const second = fakeSecretKey('live');

  beforeEach(async () => {
    repo = new TestRepo(Date.UTC(2026, 9, 1, 8));
    repo.write('app/settings.py', `PAYKORE_KEY = "${first}"\n`);
    repo.commit('settings');
    repo.write('app/settings.py', 'PAYKORE_KEY = os.environ["PAYKORE_KEY"]\n');
    repo.commit('read it from the environment');
    h = await BotHarness.start({
      env: { SCAN_REPOS: repo.dir, SCAN_INTERVAL_MINUTES: '30', SIGNALS_CHANNEL: CHANNEL },
    });
  });
  afterEach(async () => {
    expect(h.standIn.violations()).toEqual([]);
    const calls = JSON.stringify(h.standIn.calls());
    const dir = join(h.dbPath, '..');
    const files = readdirSync(dir).map((file) => readFileSync(join(dir, file)).toString('latin1'));
    await h.close();
    for (const key of [first, second]) {
      expect(calls).not.toContain(key);
      for (const bytes of files) expect(bytes).not.toContain(key);
    }
    repo.cleanup();
  });

  const warnings = () =>
    h.standIn.calls('chat.postMessage').filter((call) => String(call.args.text ?? '').includes('found in Git history'));

  it('warns once per new key with the incident button; the incident starts at the first commit', async () => {
    await h.tick();
    expect(warnings()).toHaveLength(1);
    const warning = warnings()[0];
    expect(warning?.args.channel).toBe(CHANNEL);
    expect(String(warning?.args.text)).toContain(maskOf(first));
    expect(String(warning?.args.text)).toContain('Removed from HEAD, still in history');
    const value = buttonValue(warning?.args.blocks);
    expect(value).toBe('LEAK-1');

    await h.click(ActionId.leakOpenIncident, value ?? '', { userId: BYSTANDER });
    const incident = h.bot.store.incidents.get(1);
    expect(incident?.exposureStart).toBe(repo.start + HOUR);
    expect(incident?.how).toContain('app/settings.py');

    // Before the interval: nothing runs. After it: only the new commit is read, and only the new key is posted.
    repo.write('deploy.sh', `export PAYKORE_KEY=${second}\n`);
    repo.commit('deploy script');
    h.clock.advance(10 * MINUTE);
    await h.tick();
    expect(warnings()).toHaveLength(1);
    h.clock.advance(30 * MINUTE);
    await h.tick();
    expect(warnings()).toHaveLength(2);
    expect(String(warnings()[1]?.args.text)).toContain(maskOf(second));
    expect(String(warnings()[1]?.args.text)).toContain('Still in HEAD');
    const tips = h.bot.db.prepare('SELECT tip FROM git_scan_tips').all() as { tip: string }[];
    expect(tips.map((t) => t.tip)).toContain(repo.head());

    // Nothing new: nothing posted, however often it runs.
    h.clock.advance(HOUR);
    await h.tick();
    expect(warnings()).toHaveLength(2);
  }, 60_000);

  it('tells the open incident of a key pasted in chat that it is in Git too, from a commit older than the paste', async () => {
    // Pasted in chat first: a leak, a warning, and an incident opened from it with the paste as exposure start.
    const pasted = messageEvent({
      text: `is this the prod key? ${first}`,
      userId: BYSTANDER,
      channelId: CHANNEL,
      ts: `${Math.floor(h.clock.now() / 1000) - 600}.000100`,
    });
    expect((await h.post(eventBody({ event: pasted }), { contentType: 'application/json' })).status).toBe(200);
    await h.settle();
    const chatWarning = h.standIn.calls('chat.postMessage').find((call) => buttonValue(call.args.blocks));
    await h.click(ActionId.leakOpenIncident, buttonValue(chatWarning?.args.blocks) ?? '', { userId: BYSTANDER });
    const incident = h.bot.store.incidents.get(1);
    expect(incident?.status).toBe('open');
    const pastedAt = incident?.exposureStart ?? incident?.openedAt ?? 0;
    expect(pastedAt).toBeGreaterThan(repo.start + HOUR);

    await h.tick();
    // The same leak: no second warning in the channel, but the incident hears where else the key is.
    expect(warnings()).toHaveLength(0);
    const seen = h.bot.store.events.stream('INC-1').filter((event) => event.type === 'key_seen_again');
    expect(seen).toHaveLength(1);
    expect(seen[0]?.details).toMatchObject({
      source: 'git',
      repository: repo.dir,
      path: 'app/settings.py',
      exposedAt: repo.start + HOUR,
      recordedExposureStart: pastedAt,
    });
    const reply = h.standIn
      .calls('chat.postMessage')
      .map((call) => String(call.args.text ?? ''))
      .find((text) => text.includes('In Git history'));
    expect(reply).toContain('`app/settings.py`');
    expect(reply).toContain('earlier than the exposure start on record');
    expect(describeEvent(seen[0]!)).toContain('Found in');

    // Found again on the next scan: nothing more is said.
    h.clock.advance(HOUR);
    await h.tick();
    expect(h.bot.store.events.stream('INC-1').filter((event) => event.type === 'key_seen_again')).toHaveLength(1);
  }, 60_000);
});
