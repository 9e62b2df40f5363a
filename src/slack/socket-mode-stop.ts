import type { SocketModeReceiver } from '@slack/bolt';

type SocketModeClient = SocketModeReceiver['client'];

/**
 * @slack/socket-mode 3.1 reconnects by calling `start()` from a timer and only `.then`s the promise it returns
 * (SocketModeClient.js, delayReconnectAttempt). That promise waits for `connected` or `disconnected`, and
 * `disconnect()` (or a socket that closes before Slack's hello) emits `disconnected` with no argument: the
 * reconnection's promise then rejects with `undefined`, an unhandled rejection nobody can catch, which ends a Node
 * process. So:
 * - once we have asked the client to stop, a `start()` still under way settles quietly, and a connection it opened
 *   after all is closed again;
 * - a reconnection the library started itself (it announces it with `reconnecting` just before calling `start()`)
 *   that fails is reported to `onReconnectFailure` instead: the library's own `close` handler schedules the next
 *   attempt, so nothing is lost by not rethrowing into a promise nobody holds.
 * The first `start()` (Bolt's `app.start()`) still rejects to its caller.
 */
export function settleStartsOnStop(
  socket: SocketModeClient,
  onReconnectFailure: (error: unknown) => void = () => {},
): { stopping(): void } {
  let stopping = false;
  let reconnectAnnounced = false;
  socket.on('reconnecting', () => {
    reconnectAnnounced = true;
  });
  const start = socket.start.bind(socket);
  socket.start = () => {
    const reconnection = reconnectAnnounced;
    reconnectAnnounced = false;
    return start().then(
      (opened) => {
        if (stopping) void socket.disconnect();
        return opened;
      },
      (error: unknown) => {
        if (stopping) return { ok: false, error: 'stopped' };
        if (reconnection) {
          onReconnectFailure(error);
          return { ok: false, error: 'reconnect_failed' };
        }
        throw error;
      },
    );
  };
  return {
    stopping() {
      stopping = true;
    },
  };
}
