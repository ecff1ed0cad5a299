import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import type { DatabaseNames } from './test-app';

const PROJECT_ROOT = join(__dirname, '..', '..');
const START_TIMEOUT_MS = 30_000;

export interface ServiceExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** Database names of their own, so a service's reconciler never meets another suite's data. */
export function isolatedDatabaseNames(label: string): DatabaseNames {
  const run = randomBytes(4).toString('hex');
  return { master: `${label}_master_${run}`, tenants: `${label}_tenants_${run}` };
}

/**
 * The service as a separate process (`src/main.ts`, transpiled on the fly), for tests
 * that kill it, restart it, or send it signals.
 */
export class ServiceProcess {
  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
    readonly exited: Promise<ServiceExit>,
    /** Everything the process printed, for failure messages. */
    readonly output: string[],
  ) {}

  static async start(
    names: DatabaseNames,
    env: Record<string, string> = {},
  ): Promise<ServiceProcess> {
    const child = spawn(
      process.execPath,
      ['-r', 'ts-node/register/transpile-only', 'src/main.ts'],
      {
        cwd: PROJECT_ROOT,
        env: {
          ...process.env,
          PORT: '0',
          LOG_LEVEL: 'info',
          MASTER_DB_NAME: names.master,
          TENANT_DB_NAME: names.tenants,
          ...env,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const exited = new Promise<ServiceExit>((resolve) =>
      child.once('exit', (code, signal) => resolve({ code, signal })),
    );
    const output: string[] = [];
    const port = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`service did not start:\n${output.join('\n')}`)),
        START_TIMEOUT_MS,
      );
      void exited.then(({ code, signal }) => {
        clearTimeout(timer);
        reject(
          new Error(`service exited during start-up (${code ?? signal}):\n${output.join('\n')}`),
        );
      });
      for (const stream of [child.stdout, child.stderr]) {
        createInterface({ input: stream }).on('line', (line) => {
          output.push(line);
          const match = /Listening on port (\d+)/.exec(line);
          if (match) {
            clearTimeout(timer);
            resolve(match[1]);
          }
        });
      }
    });
    return new ServiceProcess(child, `http://127.0.0.1:${port}`, exited, output);
  }

  /** Peak resident memory of the process so far (VmHWM), in bytes. */
  peakMemoryBytes(): number {
    const status = readFileSync(`/proc/${this.child.pid}/status`, 'utf8');
    const kilobytes = /^VmHWM:\s+(\d+) kB$/m.exec(status);
    if (!kilobytes) throw new Error('VmHWM not found in /proc status');
    return Number(kilobytes[1]) * 1024;
  }

  get http(): TestAgent {
    return request(this.url);
  }

  signal(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }

  async stop(): Promise<ServiceExit> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
    return this.exited;
  }
}

/** Polls until `check` stops throwing, then returns its result; fails with its last error. */
export async function eventually<T>(
  check: () => Promise<T>,
  timeoutMs = 15_000,
  everyMs = 200,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
  }
}
