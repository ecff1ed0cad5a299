#!/usr/bin/env node
// Login storm: does password hashing block the event loop?
// Starts `node dist/main.js` on 127.0.0.1 with its own embedded database, creates 50
// admins, then sends rounds of 50 concurrent logins while GET /org/get is polled, and
// prints p50/p95/p99 of the GET latency, idle and during the storm. It also times logins
// with an unknown email against logins with a wrong password.
//   npm run build && node scripts/bench-login-storm.js [--workers N] [--cost N] [--rounds N]
'use strict';
/* global fetch */
const { spawn } = require('node:child_process');
const { parseArgs } = require('node:util');
const { mkdtempSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { randomBytes } = require('node:crypto');
const { performance } = require('node:perf_hooks');
const { setTimeout: sleep } = require('node:timers/promises');

const { values: args } = parseArgs({
  options: {
    port: { type: 'string' },
    rounds: { type: 'string' },
    cost: { type: 'string' },
    workers: { type: 'string' },
  },
});
const PORT = Number(args.port ?? 3998);
const BASE = `http://127.0.0.1:${PORT}`;
const CONCURRENT = 50;
const ROUNDS = Number(args.rounds ?? 3);
const DEADLINE = Date.now() + 240_000;

const percentile = (sorted, p) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const summary = (samples) => {
  const sorted = [...samples].sort((a, b) => a - b);
  return `n=${sorted.length} p50=${percentile(sorted, 50).toFixed(1)}ms p95=${percentile(sorted, 95).toFixed(1)}ms p99=${percentile(sorted, 99).toFixed(1)}ms`;
};

async function post(path, body) {
  const response = await fetch(BASE + path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  await response.arrayBuffer();
  return response.status;
}

async function poll(name, until) {
  const samples = [];
  while (!(await until())) {
    const started = performance.now();
    const response = await fetch(`${BASE}/org/get?organization_name=${name}`);
    await response.arrayBuffer();
    samples.push(performance.now() - started);
  }
  return samples;
}

async function main() {
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-login-'));
  const env = {
    ...process.env,
    NODE_ENV: 'test',
    PORT: String(PORT),
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    JWT_SECRET: randomBytes(48).toString('base64url'),
    BCRYPT_COST: args.cost ?? '12',
    LOGIN_ADDRESS_LIMIT: '100000',
    LOGIN_ACCOUNT_LIMIT: '100000',
  };
  delete env.MONGODB_URI;
  if (args.workers !== undefined) env.BCRYPT_WORKERS = args.workers;
  const service = spawn(process.execPath, ['dist/main.js'], { env, stdio: 'ignore' });
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
    const admins = Array.from({ length: CONCURRENT }, (_, i) => ({
      organization_name: `bench-${i}-${randomBytes(3).toString('hex')}`,
      email: `admin${i}@bench.example`,
      password: 'bench-password-1',
    }));
    for (const admin of admins)
      if ((await post('/org/create', admin)) !== 201) throw new Error('create failed');
    const probe = admins[0].organization_name;

    let idleUntil = Date.now() + 3000;
    const idle = await poll(probe, async () => Date.now() > idleUntil);

    let done = false;
    const storm = poll(probe, async () => done);
    const loginTimes = [];
    for (let round = 0; round < ROUNDS && Date.now() < DEADLINE; round += 1) {
      await Promise.all(
        admins.map(async ({ email, password }) => {
          const started = performance.now();
          const status = await post('/admin/login', { email, password });
          if (status !== 200) throw new Error(`login answered ${status}`);
          loginTimes.push(performance.now() - started);
        }),
      );
    }
    done = true;
    const during = await storm;

    const wrong = [];
    const unknown = [];
    for (let i = 0; i < 20; i += 1) {
      let started = performance.now();
      await post('/admin/login', { email: admins[1].email, password: `wrong-${i}` });
      wrong.push(performance.now() - started);
      started = performance.now();
      await post('/admin/login', { email: `nobody${i}@bench.example`, password: `wrong-${i}` });
      unknown.push(performance.now() - started);
    }

    console.log(`BCRYPT_COST=${env.BCRYPT_COST} BCRYPT_WORKERS=${env.BCRYPT_WORKERS ?? 'default'}`);
    console.log(`GET /org/get idle:          ${summary(idle)}`);
    console.log(`GET /org/get during storm:  ${summary(during)}`);
    console.log(`login (${ROUNDS} x ${CONCURRENT} concurrent): ${summary(loginTimes)}`);
    console.log(`login wrong password:       ${summary(wrong)}`);
    console.log(`login unknown email:        ${summary(unknown)}`);
  } finally {
    service.kill('SIGTERM');
    await new Promise((resolve) => service.once('exit', resolve));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
