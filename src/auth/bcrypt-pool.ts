import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { ArrayTaskQueue, Piscina, type TaskQueue } from 'piscina';

type Job =
  | { op: 'hash'; password: string; cost: number }
  | { op: 'compare'; password: string; hash: string };

type Operation = Job['op'];

interface JobResult<T> {
  value: T;
  startedAt: number;
  finishedAt: number;
}

/** How long one job waited for a thread, and how long it ran, in milliseconds. */
export type JobTimingObserver = (operation: Operation, waitMs: number, runMs: number) => void;

type Task = Parameters<TaskQueue['push']>[0];

/** Wall-clock milliseconds with sub-millisecond precision, comparable across threads. */
const now = () => performance.timeOrigin + performance.now();

interface QueueOptions {
  first: boolean;
}

const queueOptions = (task: Task) =>
  task[Piscina.queueOptionsSymbol as keyof Task] as QueueOptions | null;

/**
 * Two lanes: a waiting compare (a login) is started before any waiting hash (a create or a
 * password change), so a flood of creates cannot make logins wait behind it.
 */
class ComparesFirstQueue implements TaskQueue {
  private readonly first = new ArrayTaskQueue();
  private readonly rest = new ArrayTaskQueue();

  get size(): number {
    return this.first.size + this.rest.size;
  }

  push(task: Task): void {
    this.laneOf(task).push(task);
  }

  shift(): Task | null {
    return this.first.shift() ?? this.rest.shift();
  }

  remove(task: Task): void {
    this.laneOf(task).remove(task);
  }

  private laneOf(task: Task): ArrayTaskQueue {
    return queueOptions(task)?.first ? this.first : this.rest;
  }
}

/** bcryptjs in `threads` worker threads (piscina), compares ahead of hashes. */
export class BcryptPool {
  private readonly piscina: Piscina<Job, JobResult<string | boolean>>;

  constructor(
    threads: number,
    private readonly observe: JobTimingObserver = () => {},
  ) {
    this.piscina = new Piscina({
      filename: join(__dirname, 'bcrypt.worker.js'),
      minThreads: threads,
      maxThreads: threads,
      taskQueue: new ComparesFirstQueue(),
    });
  }

  hash(password: string, cost: number): Promise<string> {
    return this.run<string>({ op: 'hash', password, cost });
  }

  compare(password: string, hash: string): Promise<boolean> {
    const job = { op: 'compare', password, hash, [Piscina.queueOptionsSymbol]: { first: true } };
    return this.run<boolean>(job as Job);
  }

  close(): Promise<void> {
    return this.piscina.close();
  }

  private async run<T extends string | boolean>(job: Job): Promise<T> {
    const queuedAt = now();
    const { value, startedAt, finishedAt } = await this.piscina.run(job);
    this.observe(job.op, Math.max(0, startedAt - queuedAt), finishedAt - startedAt);
    return value as T;
  }
}
