import { Worker } from 'node:worker_threads';

type Job =
  | { op: 'hash'; password: string; cost: number }
  | { op: 'compare'; password: string; hash: string };

interface Pending {
  resolve(result: string | boolean): void;
  reject(error: Error): void;
}

interface PoolWorker {
  worker: Worker;
  pending: Map<number, Pending>;
}

/**
 * Each worker runs bcryptjs synchronously, one job at a time; the code is passed inline
 * (with the resolved path of bcryptjs) so the same pool works from `dist/` and under ts-jest.
 */
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const bcrypt = require(${JSON.stringify(require.resolve('bcryptjs'))});
parentPort.on('message', ({ id, job }) => {
  try {
    const result =
      job.op === 'hash'
        ? bcrypt.hashSync(job.password, job.cost)
        : bcrypt.compareSync(job.password, job.hash);
    parentPort.postMessage({ id, result });
  } catch (error) {
    parentPort.postMessage({ id, error: String((error && error.message) || error) });
  }
});
`;

/**
 * A fixed set of worker threads for bcrypt, so a burst of logins costs CPU on other cores
 * instead of time on the event loop that serves every other request. Jobs go to the
 * worker with the fewest outstanding jobs; a worker that dies is replaced and its jobs fail.
 */
export class BcryptWorkerPool {
  private readonly workers: PoolWorker[] = [];
  private nextId = 0;
  private closed = false;

  constructor(size: number) {
    for (let index = 0; index < size; index += 1) this.workers.push(this.spawn());
  }

  hash(password: string, cost: number): Promise<string> {
    return this.run({ op: 'hash', password, cost }) as Promise<string>;
  }

  compare(password: string, hash: string): Promise<boolean> {
    return this.run({ op: 'compare', password, hash }) as Promise<boolean>;
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.workers.map(({ worker }) => worker.terminate()));
  }

  private run(job: Job): Promise<string | boolean> {
    if (this.closed) return Promise.reject(new Error('The bcrypt worker pool is closed'));
    const target = this.workers.reduce((least, candidate) =>
      candidate.pending.size < least.pending.size ? candidate : least,
    );
    const id = (this.nextId += 1);
    return new Promise((resolve, reject) => {
      target.pending.set(id, { resolve, reject });
      target.worker.postMessage({ id, job });
    });
  }

  private spawn(): PoolWorker {
    const entry: PoolWorker = {
      worker: new Worker(WORKER_SOURCE, { eval: true }),
      pending: new Map(),
    };
    entry.worker.unref();
    entry.worker.on(
      'message',
      ({ id, result, error }: { id: number; result?: string | boolean; error?: string }) => {
        const pending = entry.pending.get(id);
        entry.pending.delete(id);
        if (error === undefined) pending?.resolve(result!);
        else pending?.reject(new Error(error));
      },
    );
    entry.worker.on('error', (error) => this.replace(entry, error));
    entry.worker.on('exit', () => this.replace(entry, new Error('A bcrypt worker stopped')));
    return entry;
  }

  private replace(entry: PoolWorker, error: Error): void {
    for (const pending of entry.pending.values()) pending.reject(error);
    entry.pending.clear();
    const index = this.workers.indexOf(entry);
    if (index === -1 || this.closed) return;
    this.workers[index] = this.spawn();
  }
}
