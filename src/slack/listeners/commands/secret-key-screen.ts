import type { LeakService } from '../../../app/leak-service';
import { findSecretKeysAnywhere } from '../../../domain/key-detector';
import { leakRef } from '../../../domain/leak';
import { typedKeyRefusal } from '../../blocks/leak-messages';
import type { CommandScreen } from './paykore-incident';

/**
 * A secret key in the command text: nothing else runs, the key is neither stored nor repeated, and the person
 * learns it is exposed all the same (it went through Slack), with a button to open an incident for it.
 */
export function secretKeyScreen(leaks: LeakService): CommandScreen {
  return async (text, ctx, deps) => {
    const keys = findSecretKeysAnywhere(text);
    if (keys.length === 0) return undefined;
    const found = await deps.write(() =>
      leaks.recordTyped({
        source: 'command',
        channelId: ctx.channelId,
        actor: ctx.actor,
        sourceKey: ctx.commandKey,
        keys,
      }),
    );
    deps.logger.warn(
      { channelId: ctx.channelId, leaks: found.map((leak) => leakRef(leak.id)) },
      'secret key typed into the command: refused',
    );
    return typedKeyRefusal(found);
  };
}
