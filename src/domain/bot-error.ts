/**
 * The bot's one error type: a stable `code` for logs, tests and the CLI's exit path, and the `cause` that led to it.
 * It lives in domain/ so every layer (the pure timeline included) can throw it without importing an adapter.
 * Refusals are not errors: a refused action is an outcome the use-case returns.
 */
export class BotError extends Error {
  constructor(
    readonly code: string,
    message: string,
    options: { cause?: unknown } = {},
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The code of anything thrown: ours, Node's (`ERR_…`) or a library's; undefined when it has none. */
export function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}
