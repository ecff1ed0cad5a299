import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { buildFerretDb, FERRETDB_BINARY } from './ferretdb-build';

const START_TIMEOUT_MS = 30_000;

export interface EmbeddedDatabase {
  readonly uri: string;
  readonly engine: 'ferretdb' | 'mongod';
  stop(): Promise<void>;
}

/**
 * Starts a MongoDB-compatible server on loopback that keeps its files in `dataDir`.
 * FerretDB (SQLite handler) is preferred: it is built from the Go module the first time.
 * Without Go, a `mongod` found on the PATH is used instead.
 */
export async function startEmbeddedDatabase(
  dataDir: string,
  { port }: { port?: number } = {},
): Promise<EmbeddedDatabase> {
  if (existsSync(FERRETDB_BINARY) || hasCommand('go', 'version')) {
    return startFerretDb(join(resolve(dataDir), 'ferretdb'), port ?? 0);
  }
  if (hasCommand('mongod', '--version')) {
    return startMongod(join(resolve(dataDir), 'mongod'), port ?? (await freePort()));
  }
  throw new Error(
    'MONGODB_URI is not set and no embedded database can be started: ' +
      'install Go (to build FerretDB) or MongoDB (mongod on the PATH), or set MONGODB_URI.',
  );
}

async function startFerretDb(dataDir: string, port: number): Promise<EmbeddedDatabase> {
  const binary = hasCommand('go', 'version') ? buildFerretDb() : FERRETDB_BINARY;
  const listen = `127.0.0.1:${port}`;
  const child = spawn(binary, ['-listen', listen, '-data', dataDir, '-exit-with-parent'], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const line = await firstLine(child, (text) => text.startsWith('ready '));
  return running('ferretdb', line.slice('ready '.length).trim(), child);
}

async function startMongod(dataDir: string, port: number): Promise<EmbeddedDatabase> {
  mkdirSync(dataDir, { recursive: true });
  const child = spawn(
    'mongod',
    ['--dbpath', dataDir, '--bind_ip', '127.0.0.1', '--port', String(port)],
    {
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  await firstLine(child, (text) => text.includes('Waiting for connections'));
  return running('mongod', `mongodb://127.0.0.1:${port}/`, child);
}

function running(
  engine: EmbeddedDatabase['engine'],
  uri: string,
  child: ChildProcess,
): EmbeddedDatabase {
  return {
    uri,
    engine,
    stop: () =>
      new Promise<void>((done) => {
        if (child.exitCode !== null || child.signalCode !== null) return done();
        child.once('exit', () => done());
        child.kill('SIGTERM');
      }),
  };
}

/** Resolves with the first stdout line that matches; rejects if the process exits first. */
function firstLine(child: ChildProcess, matches: (line: string) => boolean): Promise<string> {
  return new Promise((resolveLine, reject) => {
    const lines = createInterface({ input: child.stdout! });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`embedded database did not start within ${START_TIMEOUT_MS} ms`));
    }, START_TIMEOUT_MS);
    const onExit = (code: number | null) => {
      clearTimeout(timer);
      reject(new Error(`embedded database exited during start-up (code ${code})`));
    };
    child.once('exit', onExit);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    lines.on('line', (text) => {
      if (!matches(text)) return;
      clearTimeout(timer);
      child.off('exit', onExit);
      // Keep draining stdout so the child never blocks on a full pipe.
      child.stdout!.resume();
      resolveLine(text);
    });
  });
}

function hasCommand(command: string, versionArgument: string): boolean {
  return spawnSync(command, [versionArgument], { stdio: 'ignore' }).error === undefined;
}

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolvePort(port));
    });
  });
}
