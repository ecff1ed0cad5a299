#!/usr/bin/env node
// Tenant bindings under many organizations: does the service's memory stay flat?
// Starts `node dist/main.js` on 127.0.0.1 with its own embedded database, creates
// --orgs organizations (default 10,000; BCRYPT_COST=4 so the set-up is quick), logs each
// admin in, then touches the organizations in random order through the records API (one
// POST and one GET each) for --passes passes, and prints the service's resident memory
// (VmRSS of its process, two seconds after each phase) as it goes.
//   npm run build && node scripts/bench-tenant-memory.js [--orgs N] [--passes N] [--concurrency N]
'use strict';
/* global fetch */
const { spawn } = require('node:child_process');
const { mkdtempSync, readFileSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { randomBytes } = require('node:crypto');
const { setTimeout: sleep } = require('node:timers/promises');

const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, arg, i, all) => {
    if (arg.startsWith('--')) pairs.push([arg.slice(2), all[i + 1]]);
    return pairs;
  }, []),
);
const ORGS = Number(args.orgs ?? 10_000);
const PASSES = Number(args.passes ?? 2);
const CONCURRENCY = Number(args.concurrency ?? 16);
const PORT = Number(args.port ?? 3996);
const BASE = `http://127.0.0.1:${PORT}`;
const DEADLINE = Date.now() + 60 * 60_000;

function rssMiB(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)[1]) / 1024;
}

async function call(method, path, { token, body } = {}) {
  const response = await fetch(BASE + path, {
    method,
    headers: {
      ...(body ? { 'Content-Type': 'application/json' } : {}),
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  if (response.status >= 400) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

/** Runs `task(i)` for i in [0, count) with at most CONCURRENCY at once; returns the duration. */
async function inParallel(count, task) {
  const started = Date.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < count) {
        if (Date.now() > DEADLINE) throw new Error('benchmark deadline passed');
        await task(next++);
      }
    }),
  );
  return (Date.now() - started) / 1000;
}

function shuffled(count) {
  const order = Array.from({ length: count }, (_, i) => i);
  for (let i = count - 1; i > 0; i -= 1) {
    const j = Math.floor(Math.random() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
}

async function main() {
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-tenants-'));
  const service = spawn(process.execPath, ['dist/main.js'], {
    cwd: join(__dirname, '..'),
    env: {
      ...process.env,
      NODE_ENV: 'test',
      PORT: String(PORT),
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      BCRYPT_COST: '4',
      JWT_SECRET: randomBytes(48).toString('base64url'),
      LOGIN_ADDRESS_LIMIT: String(ORGS * 2),
      MONGODB_URI: '',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const stop = () => service.kill('SIGTERM');
  process.on('exit', stop);
  try {
    for (let i = 0; ; i += 1) {
      if (i > 300) throw new Error('service did not start');
      if (
        await fetch(`${BASE}/health/live`).then(
          (r) => r.ok,
          () => false,
        )
      )
        break;
      await sleep(500);
    }
    const rows = [];
    const measure = async (phase, touched, seconds) => {
      await sleep(2_000);
      rows.push({ phase, touched, seconds, rss: rssMiB(service.pid) });
      console.log(
        `${phase.padEnd(38)} ${String(touched).padStart(6)} orgs  ${seconds.toFixed(1).padStart(6)} s  RSS ${rssMiB(service.pid).toFixed(1)} MiB`,
      );
    };
    await measure('started', 0, 0);

    const run = randomBytes(3).toString('hex');
    const tokens = new Array(ORGS);
    const created = await inParallel(ORGS, async (i) => {
      const name = `bench-${run}-${i}`;
      await call('POST', '/org/create', {
        body: {
          organization_name: name,
          email: `admin@${name}.example`,
          password: 'bench-password',
        },
      });
      tokens[i] = (
        await call('POST', '/admin/login', {
          body: { email: `admin@${name}.example`, password: 'bench-password' },
        })
      ).access_token;
    });
    await measure(`created and logged in`, ORGS, created);

    const touch = async (i) => {
      await call('POST', '/org/records', { token: tokens[i], body: { touched: Date.now(), i } });
      await call('GET', '/org/records?limit=5', { token: tokens[i] });
    };
    const warm = shuffled(ORGS).slice(0, 1_000);
    await measure(
      'records API, 1,000 random orgs',
      1_000,
      await inParallel(warm.length, (k) => touch(warm[k])),
    );
    for (let pass = 1; pass <= PASSES; pass += 1) {
      const order = shuffled(ORGS);
      const seconds = await inParallel(ORGS, (k) => touch(order[k]));
      await measure(`records API, pass ${pass} over all orgs`, ORGS, seconds);
    }

    const first = rows.find((row) => row.phase.startsWith('records API, 1,000'));
    const last = rows[rows.length - 1];
    console.log(
      `\nRSS after 1,000 organizations touched: ${first.rss.toFixed(1)} MiB; after ${PASSES} passes over ${ORGS}: ` +
        `${last.rss.toFixed(1)} MiB (${(last.rss - first.rss >= 0 ? '+' : '') + (last.rss - first.rss).toFixed(1)} MiB)`,
    );
  } finally {
    stop();
    await new Promise((resolve) => service.once('exit', resolve));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
