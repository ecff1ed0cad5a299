#!/usr/bin/env node
// Tenant bindings under many organizations: does the service's memory stay flat?
// Starts `node dist/main.js` on 127.0.0.1 with its own embedded database, creates
// --orgs organizations (default 10,000) through the API, then touches them in random
// order through the records API (one POST and one GET each) for --passes passes, and
// prints the service's resident memory (VmRSS of its process, two seconds after each
// phase) as it goes.
// To keep the set-up quick on FerretDB, whose SQLite handler answers every query that is
// not by _id with a full scan: BCRYPT_COST=4, tokens are signed here with the service's
// secret (as /admin/login would: sub, org, ver, iss, aud, exp) instead of 10,000 logins
// each scanning every admin, and the reconciler's periodic pass runs every 5 minutes.
//   npm run build && node scripts/bench-tenant-memory.js [--orgs N] [--passes N] [--concurrency N] [--cache N]
'use strict';
/* global fetch, Buffer */
const { spawn } = require('node:child_process');
const { parseArgs } = require('node:util');
const { mkdtempSync, readFileSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { createHmac, randomBytes } = require('node:crypto');
const { setTimeout: sleep } = require('node:timers/promises');

const { values: args } = parseArgs({
  options: {
    orgs: { type: 'string' },
    passes: { type: 'string' },
    concurrency: { type: 'string' },
    port: { type: 'string' },
    cache: { type: 'string' },
  },
});
const ORGS = Number(args.orgs ?? 10_000);
const PASSES = Number(args.passes ?? 2);
const CONCURRENCY = Number(args.concurrency ?? 16);
const PORT = Number(args.port ?? 3996);
const BASE = `http://127.0.0.1:${PORT}`;
const DEADLINE = Date.now() + 60 * 60_000;
const SECRET = randomBytes(48).toString('base64url');

/** The token /admin/login would issue to this admin (HS256, as src/auth/jwt.constants.ts). */
function accessToken(adminId, organizationId) {
  const encode = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const unsigned = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode({
    sub: adminId,
    org: organizationId,
    ver: 0,
    iat: now,
    exp: now + 6 * 3600,
    iss: 'org-management-service',
    aud: 'org-management-api',
  })}`;
  return `${unsigned}.${createHmac('sha256', SECRET).update(unsigned).digest('base64url')}`;
}

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
      JWT_SECRET: SECRET,
      RECONCILE_INTERVAL_MS: '300000',
      TENANT_BINDING_CACHE_SIZE: args.cache ?? '1000',
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
      const organization = await call('POST', '/org/create', {
        body: {
          organization_name: name,
          email: `admin@${name}.example`,
          password: 'bench-password',
        },
      });
      tokens[i] = accessToken(organization.admin.id, organization.organization_id);
      if ((i + 1) % 1_000 === 0) {
        console.log(`  ${i + 1} created, RSS ${rssMiB(service.pid).toFixed(1)} MiB`);
      }
    });
    await measure('created', ORGS, created);
    // One real login, to show the signed tokens are the ones the service issues.
    await call('POST', '/admin/login', {
      body: { email: `admin@bench-${run}-0.example`, password: 'bench-password' },
    });

    const touch = async (i) => {
      await call('POST', '/org/records', { token: tokens[i], body: { touched: Date.now(), i } });
      await call('GET', '/org/records?limit=5', { token: tokens[i] });
    };
    const warm = shuffled(ORGS).slice(0, Math.min(1_000, ORGS));
    await measure(
      `records API, ${warm.length} random orgs`,
      warm.length,
      await inParallel(warm.length, (k) => touch(warm[k])),
    );
    for (let pass = 1; pass <= PASSES; pass += 1) {
      const order = shuffled(ORGS);
      const seconds = await inParallel(ORGS, (k) => touch(order[k]));
      await measure(`records API, pass ${pass} over all orgs`, ORGS, seconds);
    }

    const first = rows.find((row) => row.phase === `records API, ${warm.length} random orgs`);
    const last = rows[rows.length - 1];
    console.log(
      `\nRSS after ${warm.length} organizations touched: ${first.rss.toFixed(1)} MiB; after ${PASSES} passes over ${ORGS}: ` +
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
