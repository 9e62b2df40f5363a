import type { InputBlock, KnownBlock, ModalView, PlainTextOption } from '@slack/types';

export const plain = (text: string) => ({ type: 'plain_text' as const, text, emoji: true });

export function option(text: string, value: string): PlainTextOption {
  return { text: plain(text), value };
}

export function textInput(
  id: string,
  label: string,
  options: {
    initial?: string;
    multiline?: boolean;
    optional?: boolean;
    hint?: string;
    placeholder?: string;
    maxLength?: number;
  } = {},
): InputBlock {
  return {
    type: 'input',
    block_id: id,
    optional: options.optional ?? false,
    label: plain(label),
    ...(options.hint ? { hint: plain(options.hint) } : {}),
    element: {
      type: 'plain_text_input',
      action_id: id,
      multiline: options.multiline ?? false,
      max_length: options.maxLength ?? (options.multiline ? 2000 : 200),
      ...(options.initial ? { initial_value: options.initial } : {}),
      ...(options.placeholder ? { placeholder: plain(options.placeholder) } : {}),
    },
  };
}

export function selectInput(
  id: string,
  label: string,
  choices: PlainTextOption[],
  options: { initial?: string; optional?: boolean; hint?: string } = {},
): InputBlock {
  const initial = choices.find((choice) => choice.value === options.initial);
  return {
    type: 'input',
    block_id: id,
    optional: options.optional ?? false,
    label: plain(label),
    ...(options.hint ? { hint: plain(options.hint) } : {}),
    element: {
      type: 'static_select',
      action_id: id,
      options: choices,
      ...(initial ? { initial_option: initial } : {}),
    },
  };
}

export function dateTimeInput(
  id: string,
  label: string,
  options: { optional?: boolean; hint?: string } = {},
): InputBlock {
  return {
    type: 'input',
    block_id: id,
    optional: options.optional ?? true,
    label: plain(label),
    ...(options.hint ? { hint: plain(options.hint) } : {}),
    element: { type: 'datetimepicker', action_id: id },
  };
}

export function modal(
  callbackId: string,
  title: string,
  submit: string,
  metadata: object,
  blocks: KnownBlock[],
): ModalView {
  return {
    type: 'modal',
    callback_id: callbackId,
    title: plain(title),
    submit: plain(submit),
    close: plain('Cancel'),
    private_metadata: JSON.stringify(metadata),
    blocks,
  };
}

/** A read-only modal for an answer that has nowhere else to go (a click on the App Home has no response_url). */
export function noticeModal(text: string): ModalView {
  return {
    type: 'modal',
    title: plain('PayKore incident bot'),
    close: plain('OK'),
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text: text.slice(0, 3000) } }],
  };
}
