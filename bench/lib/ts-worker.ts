import { Worker } from 'node:worker_threads';

/**
 * A worker thread running a TypeScript module. `npm run bench` runs under tsx, whose loader a worker does not
 * inherit, so the worker registers it before importing the module.
 */
export function startTsWorker(moduleUrl: URL, workerData: unknown, env?: Record<string, string>): Worker {
  const api = import.meta.resolve('tsx/esm/api');
  const boot = `import(${JSON.stringify(api)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(moduleUrl.href)}); })`;
  return new Worker(boot, { eval: true, workerData, ...(env ? { env: { ...process.env, ...env } } : {}) });
}

type Reply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: string };

/** Calls into a worker that answers `{ id, method, args }` messages (see `serveCalls`). */
export class WorkerClient {
  private nextId = 0;
  private readonly waiting = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();

  constructor(readonly worker: Worker) {
    worker.on('message', (reply: Reply) => {
      const waiter = this.waiting.get(reply.id);
      if (!waiter) return;
      this.waiting.delete(reply.id);
      if (reply.ok) waiter.resolve(reply.value);
      else waiter.reject(new Error(reply.error));
    });
    worker.on('error', (error) => {
      for (const waiter of this.waiting.values()) waiter.reject(error);
      this.waiting.clear();
    });
  }

  call<T>(method: string, ...args: unknown[]): Promise<T> {
    this.nextId += 1;
    const id = this.nextId;
    return new Promise<T>((resolve, reject) => {
      this.waiting.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.worker.postMessage({ id, method, args });
    });
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }
}

/** The worker side: answers each call with its method's result. */
export function serveCalls(
  port: import('node:worker_threads').MessagePort,
  methods: Record<string, (...args: never[]) => unknown>,
): void {
  port.on('message', async ({ id, method, args }: { id: number; method: string; args: unknown[] }) => {
    try {
      const fn = methods[method];
      if (!fn) throw new Error(`no method ${method}`);
      const value = await (fn as (...a: unknown[]) => unknown)(...args);
      port.postMessage({ id, ok: true, value });
    } catch (error) {
      port.postMessage({ id, ok: false, error: error instanceof Error ? error.message : String(error) });
    }
  });
}
