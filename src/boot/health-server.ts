import { createServer, type Server } from 'node:http';
import type { HealthRoute } from './health-route';

/**
 * The HTTP server of Socket Mode, which only answers GET /healthz. Bolt's SocketModeReceiver could serve the route
 * itself, but it listens on every interface without waiting and never says which port it bound (port 0 in tests).
 */
export async function listenForHealth(routes: HealthRoute[], listen: { port: number; host?: string }): Promise<Server> {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const route = routes.find((r) => r.path === path);
    const methods = route ? (Array.isArray(route.method) ? route.method : [route.method]) : [];
    if (route && methods.includes(req.method ?? '')) {
      route.handler(req, res);
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(listen.port, listen.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return server;
}

export async function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}
