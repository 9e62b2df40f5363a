import type { Button } from '@slack/types';

/** A Block Kit button; every card, reminder and App Home draws its buttons through this one shape. */
export function button(text: string, actionId: string, value: string, style?: 'primary' | 'danger'): Button {
  return {
    type: 'button',
    text: { type: 'plain_text', text, emoji: true },
    action_id: actionId,
    value,
    ...(style ? { style } : {}),
  };
}
