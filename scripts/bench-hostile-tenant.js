#!/usr/bin/env node
// What one hostile tenant can do to the others: the repros of issue 8, measured.
// Starts `node dist/main.js` on 127.0.0.1 with its own embedded database, then:
//   1. GET /org/get latency idle, and while 8 imports of 20 MB of empty lines run;
//   2. 48 concurrent imports of 500 lines of a 250 KB record with one token: answers and
//      the service's peak resident memory (VmHWM);
//   3. an organization renames itself while its 500-line import runs: records acknowledged
//      against records found afterwards, and whether the old name can be created again;
//   4. a legitimate login, idle and while 40 concurrent creates of a taken name run.
//   npm run build && node scripts/bench-hostile-tenant.js [--port N] [--lines N]
'use strict';
/* global fetch, __filename */
const { spawn } = require('node:child_process');
const { readFileSync, mkdtempSync, rmSync } = require('node:fs');
const { request } = require('node:http');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { randomBytes } = require('node:crypto');
const { parseArgs } = require('node:util');
const { performance } = require('node:perf_hooks');
const { setTimeout: sleep } = require('node:timers/promises');
const { isMainThread, parentPort, Worker, workerData } = require('node:worker_threads');

const { values: args } = parseArgs({
  options: { port: { type: 'string' }, lines: { type: 'string' } },
});
const PORT = Number(args.port ?? 3996);
const BASE = `http://127.0.0.1:${PORT}`;
const LINES = Number(args.lines ?? 500);
const RECORD_LINE = `${JSON.stringify({ blob: 'x'.repeat(250 * 1024 - 20) })}\n`;
/** 64 KB of empty lines; 320 of them make the 20 MB of the repro. */
const EMPTY_LINES = '\n'.repeat(64 * 1024);
const DEADLINE = Date.now() + 15 * 60_000;

const percentile = (sorted, p) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const summary = (samples) => {
  const sorted = [...samples].sort((a, b) => a - b);
  return `n=${sorted.length} p50=${percentile(sorted, 50).toFixed(1)} ms p99=${percentile(sorted, 99).toFixed(1)} ms`;
};

async function call(method, path, { body, token } = {}) {
  const response = await fetch(BASE + path, {
    method,
    headers: {
      'Content-Type': 'application/json',
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

/**
 * An NDJSON upload of `times` copies of `chunk`, streamed with backpressure and read as
 * curl would: an answer that comes before the body is sent ends the upload.
 */
function upload(token, chunk, times) {
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = request(`${BASE}/org/import`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/x-ndjson' },
    });
    req.on('response', (response) => {
      answered = true;
      let text = '';
      response.on('data', (chunk) => (text += chunk));
      response.on('end', () => resolve({ status: response.statusCode, body: JSON.parse(text) }));
    });
    req.on('error', (error) =>
      ['EPIPE', 'ECONNRESET'].includes(error.code) ? undefined : reject(error),
    );
    let sent = 0;
    const write = () => {
      while (sent < times && !answered) {
        sent += 1;
        if (!req.write(chunk)) return void req.once('drain', write);
      }
      req.end();
    };
    write();
  });
}

async function organization(label) {
  const input = {
    organization_name: `${label}-${randomBytes(4).toString('hex')}`,
    email: `${label}-${randomBytes(4).toString('hex')}@bench.example`,
    password: 'bench-password-1',
  };
  const created = await call('POST', '/org/create', { body: input });
  if (created.status !== 201) throw new Error(`create answered ${created.status}`);
  const login = await call('POST', '/admin/login', {
    body: { email: input.email, password: input.password },
  });
  return { ...input, token: login.body.access_token };
}

async function pollGet(name, until) {
  const samples = [];
  while (!(await until())) {
    const started = performance.now();
    const response = await fetch(`${BASE}/org/get?organization_name=${name}`);
    await response.arrayBuffer();
    samples.push(performance.now() - started);
  }
  return samples;
}

const count = (statuses) =>
  Object.entries(statuses.reduce((all, s) => ({ ...all, [s]: (all[s] ?? 0) + 1 }), {}))
    .map(([status, n]) => `${n}×${status}`)
    .join(' ');

async function main() {
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-hostile-'));
  const env = {
    ...process.env,
    NODE_ENV: 'test',
    PORT: String(PORT),
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    JWT_SECRET: randomBytes(48).toString('base64url'),
    LOGIN_ADDRESS_LIMIT: '100000',
    LOGIN_ACCOUNT_LIMIT: '100000',
  };
  delete env.MONGODB_URI;
  const service = spawn(process.execPath, ['dist/main.js'], { env, stdio: 'ignore' });
  const peakMiB = () =>
    Number(/^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${service.pid}/status`, 'utf8'))[1]) /
    1024;
  try {
    for (;;) {
      if (Date.now() > DEADLINE) throw new Error('service did not start');
      try {
        if ((await fetch(`${BASE}/docs-json`)).ok) break;
      } catch {
        /* not listening yet */
      }
      await sleep(500);
    }
    const probe = await organization('probe');
    const flooders = [];
    for (let i = 0; i < 4; i += 1) flooders.push(await organization('flood'));

    let until = Date.now() + 5_000;
    const idle = await pollGet(probe.organization_name, async () => Date.now() > until);
    // The flood runs in a worker thread, so the poller's timings are the server's alone.
    const flooding = new Worker(__filename, {
      workerData: { tokens: flooders.map((org) => org.token), seconds: 15 },
    });
    const floodDone = new Promise((resolve) => flooding.once('message', resolve));
    let finished = false;
    void floodDone.then(() => (finished = true));
    const during = await pollGet(probe.organization_name, async () => finished);
    const floodAnswers = await floodDone;
    const idleP99 = percentile(
      [...idle].sort((a, b) => a - b),
      99,
    );
    const duringP99 = percentile(
      [...during].sort((a, b) => a - b),
      99,
    );
    console.log(`GET /org/get idle:                      ${summary(idle)}`);
    console.log(
      `GET /org/get during empty-line imports: ${summary(during)} (p99 ${(duringP99 / idleP99).toFixed(2)}× idle; imports: ${count(floodAnswers)})`,
    );

    const tenant = await organization('big');
    let started = performance.now();
    const answers = await Promise.all(
      Array.from({ length: 48 }, () => upload(tenant.token, RECORD_LINE, LINES)),
    );
    const imported = answers.reduce((sum, a) => sum + (a.status === 200 ? a.body.imported : 0), 0);
    const total = await call('GET', '/org/records?limit=1&include_total=true', {
      token: tenant.token,
    });
    console.log(
      `48 imports of ${LINES} × 250 KB, one token: ${count(answers.map((a) => a.status))} in ${((performance.now() - started) / 1000).toFixed(1)} s; ${imported} acknowledged, ${total.body.total} stored; peak RSS ${peakMiB().toFixed(0)} MiB`,
    );

    const renaming = await organization('renaming');
    const importing = upload(renaming.token, RECORD_LINE, LINES);
    for (;;) {
      const page = await call('GET', '/org/records?limit=1&include_total=true', {
        token: renaming.token,
      });
      if (page.body.total > 0) break;
      await sleep(50);
    }
    const newName = `renamed-${randomBytes(4).toString('hex')}`;
    started = performance.now();
    const renamed = await call('PUT', '/org/update', {
      token: renaming.token,
      body: { organization_name: newName },
    });
    const renameMs = performance.now() - started;
    const importAnswer = await importing;
    const after = await call('GET', '/org/records?limit=1&include_total=true', {
      token: renaming.token,
    });
    const reuse = await call('POST', '/org/create', {
      body: {
        organization_name: renaming.organization_name,
        email: `reuse-${randomBytes(4).toString('hex')}@bench.example`,
        password: 'bench-password-1',
      },
    });
    const acknowledged = importAnswer.status === 200 ? importAnswer.body.imported : 0;
    console.log(
      `rename during a ${LINES}-line import: rename ${renamed.status} after ${renameMs.toFixed(0)} ms; import ${importAnswer.status} with ${acknowledged} acknowledged; ${after.body.total} in the renamed collection; lost ${acknowledged - after.body.total}; old name created again: ${reuse.status}`,
    );

    const loginIdle = [];
    for (let i = 0; i < 5; i += 1) {
      const t = performance.now();
      await call('POST', '/admin/login', {
        body: { email: probe.email, password: probe.password },
      });
      loginIdle.push(performance.now() - t);
    }
    const creates = Array.from({ length: 40 }, () =>
      call('POST', '/org/create', {
        body: {
          organization_name: probe.organization_name,
          email: `x${randomBytes(4).toString('hex')}@bench.example`,
          password: 'bench-password-1',
        },
      }),
    );
    const t = performance.now();
    const login = await call('POST', '/admin/login', {
      body: { email: probe.email, password: probe.password },
    });
    const loginDuring = performance.now() - t;
    const createAnswers = await Promise.all(creates);
    console.log(
      `login idle: ${summary(loginIdle)}; during 40 creates of a taken name: ${loginDuring.toFixed(0)} ms (${login.status}); creates: ${count(createAnswers.map((a) => a.status))}`,
    );
  } finally {
    service.kill('SIGTERM');
    await new Promise((resolve) => service.once('exit', resolve));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** 8 imports of 20 MB of empty lines (two per token), again and again for `seconds`. */
async function flood({ tokens, seconds }) {
  const until = Date.now() + seconds * 1000;
  const statuses = [];
  await Promise.all(
    tokens.flatMap((token) =>
      [0, 1].map(async () => {
        while (Date.now() < until) statuses.push((await upload(token, EMPTY_LINES, 320)).status);
      }),
    ),
  );
  parentPort.postMessage(statuses);
}

if (isMainThread) {
  main().catch((error) => {
    console.error(error);
    process.exitCode = 1;
  });
} else {
  void flood(workerData);
}
