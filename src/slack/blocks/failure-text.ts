/**
 * What the person reads when their request failed on our side (the database refused the write, a Slack call
 * failed): the transaction rolled back, so nothing of it was kept and trying again is safe.
 */
export const NOTHING_RECORDED =
  'Something went wrong on our side and nothing was recorded. Please try again in a moment; if it keeps failing, tell whoever runs the bot.';

/** Slack shows at most 150 characters of a form field's error. */
export const NOTHING_RECORDED_IN_FORM =
  'Something went wrong on our side: nothing was recorded. Submit again in a moment.';
