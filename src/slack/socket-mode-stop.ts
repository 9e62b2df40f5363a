import type { SocketModeReceiver } from '@slack/bolt';

type SocketModeClient = SocketModeReceiver['client'];

/**
 * @slack/socket-mode 3.1 reconnects by calling `start()` from a timer and only `.then`s the promise it returns
 * (SocketModeClient.js, delayReconnectAttempt). That promise waits for `connected` or `disconnected`, and
 * `disconnect()` emits `disconnected` with no argument: stopping the bot while a reconnection waits for Slack's
 * hello rejects it with `undefined`, an unhandled rejection nobody can catch. Once we have asked the client to stop,
 * a `start()` still under way settles quietly, and a connection it opened after all is closed again.
 */
export function settleStartsOnStop(socket: SocketModeClient): { stopping(): void } {
  let stopping = false;
  const start = socket.start.bind(socket);
  socket.start = () =>
    start().then(
      (opened) => {
        if (stopping) void socket.disconnect();
        return opened;
      },
      (error: unknown) => {
        if (stopping) return { ok: false, error: 'stopped' };
        throw error;
      },
    );
  return {
    stopping() {
      stopping = true;
    },
  };
}
