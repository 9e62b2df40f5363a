import { type DetectedKey, findSecretKeysAnywhere, maskKey } from '../../domain/key-detector';
import { secretFieldError } from '../blocks/leak-messages';
import type { ViewValues } from '../parse';

/** Every secret key typed into any text input of a submitted form. */
export function keysInSubmission(values: ViewValues): DetectedKey[] {
  return Object.values(values).flatMap((actions) =>
    Object.values(actions).flatMap((state) => findSecretKeysAnywhere(state.value ?? '')),
  );
}

/**
 * The field errors for a form holding a secret key, keyed by block id, or null when it holds none. The form is
 * refused before any handler sees it, so the key is never stored; the error shows only the mask.
 */
export function secretFieldErrors(values: ViewValues): Record<string, string> | null {
  const errors: Record<string, string> = {};
  for (const [blockId, actions] of Object.entries(values)) {
    const masks = Object.values(actions).flatMap((state) => findSecretKeysAnywhere(state.value ?? '').map(maskKey));
    if (masks.length > 0) errors[blockId] = secretFieldError(masks);
  }
  return Object.keys(errors).length > 0 ? errors : null;
}
