#!/usr/bin/env node
// `npm run bench`: the service against a raw-driver server on one database, in one run.
// Starts FerretDB (the project's embedded database) unless MONGODB_URI is set, then:
// - a seeding instance of the built service (BCRYPT_COST=4, NODE_ENV=test) that creates the
//   organizations through the API, timing every create;
// - the measured instance (BCRYPT_COST=--cost, default 12), which serves every scenario;
// - scripts/bench/raw-server.js, node:http + the mongodb driver making the same calls.
// Each scenario runs autocannon against 127.0.0.1: a warm-up, then the measured run.
//   npm run bench -- [--warmup 5] [--duration 10] [--connections 64] [--cost 12]
//                    [--small 100] [--large 1000] [--creates-only]
// --creates-only seeds up to --large organizations and, after each block of 10%, prints the
// creation rate and GET /org/get on the seeding instance, then exits (for example --large
// 10000; DEFAULT_PLACEMENT=database in the environment puts each organization in its own
// database).
'use strict';
/* global fetch */
const autocannon = require('autocannon');
const { spawn } = require('node:child_process');
const { randomBytes } = require('node:crypto');
const { mkdtempSync, rmSync } = require('node:fs');
const { availableParallelism, tmpdir, loadavg } = require('node:os');
const { join } = require('node:path');
const { performance } = require('node:perf_hooks');
const { parseArgs } = require('node:util');
const { setTimeout: sleep } = require('node:timers/promises');
const { Worker } = require('node:worker_threads');
const { MongoClient, ObjectId } = require('mongoose').mongo;
const { startEmbeddedDatabase } = require('../dist/database/embedded-database');
const { freePort, waitUntilListening } = require('./bench/processes');

const { values: args } = parseArgs({
  options: {
    warmup: { type: 'string', default: '5' },
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '64' },
    cost: { type: 'string', default: '12' },
    small: { type: 'string', default: '100' },
    large: { type: 'string', default: '1000' },
    'creates-only': { type: 'boolean', default: false },
  },
});
const WARMUP = Number(args.warmup);
const DURATION = Number(args.duration);
const CONNECTIONS = Number(args.connections);
const COST = Number(args.cost);
const SMALL = Number(args.small);
const LARGE = Number(args.large);
const LOGIN_ADMINS = 50;
const LOGIN_CONNECTIONS = 16;
const PASSWORD = 'bench-password-1';

const run = randomBytes(3).toString('hex');
const NAMES = { MASTER_DB_NAME: `bench_master_${run}`, TENANT_DB_NAME: `bench_tenants_${run}` };
const SECRET = randomBytes(48).toString('base64url');
const children = [];
let stopping = false;

/** Starts a server and waits until it answers HTTP on `port`. */
async function start(label, script, port, env) {
  const child = spawn(process.execPath, [script], {
    env: { ...process.env, ...NAMES, JWT_SECRET: SECRET, ...env },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  children.push(child);
  child.once('exit', (code, signal) => {
    if (!stopping) console.error(`${label} exited (${code ?? signal})`);
  });
  await waitUntilListening(label, child, `http://127.0.0.1:${port}`);
}

function startService(port, cost, uri) {
  return start(`service on ${port}`, 'dist/main.js', port, {
    NODE_ENV: 'test',
    PORT: String(port),
    MONGODB_URI: uri,
    BCRYPT_COST: String(cost),
    // Per-request logs are off in both servers; warnings and errors still show.
    LOG_LEVEL: 'warn',
    LOGIN_ADDRESS_LIMIT: '100000000',
    LOGIN_ACCOUNT_LIMIT: '100000000',
    CREATE_ADDRESS_LIMIT: '100000000',
    RECONCILE_INTERVAL_MS: '600000',
  });
}

async function post(base, path, body, token) {
  const response = await fetch(base + path, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify(body),
  });
  const json = await response.json();
  if (!response.ok) throw new Error(`${path} answered ${response.status}: ${JSON.stringify(json)}`);
  return json;
}

/** Creates organizations `from`..`to`-1 with 8 in flight; returns each create's duration. */
async function createOrganizations(base, from, to, prefix) {
  const durations = [];
  let next = from;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < to) {
        const index = (next += 1) - 1;
        const started = performance.now();
        await post(base, '/org/create', {
          organization_name: `${prefix}-${index}`,
          email: `admin${index}@${prefix}.example`,
          password: PASSWORD,
        });
        durations.push(performance.now() - started);
      }
    }),
  );
  return durations;
}

async function cannon(options) {
  const result = await autocannon({ connections: CONNECTIONS, ...options });
  const failed = result.errors + result.timeouts + result.non2xx;
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    failed,
  };
}

/** A warm-up run, then the measured one. */
async function measure(options) {
  await cannon({ ...options, duration: WARMUP });
  return cannon({ ...options, duration: DURATION });
}

const getRequests = (count, prefix) =>
  Array.from({ length: count }, (_, index) => ({
    method: 'GET',
    path: `${prefix}/org/get?organization_name=org-${index}`,
  }));

const table = [];
function report(scenario, server, stats, ratio = '') {
  const row = {
    scenario,
    server,
    'req/s': stats.rps.toFixed(1),
    'p50 ms': stats.p50,
    'p99 ms': stats.p99,
    failed: stats.failed,
    ratio,
  };
  table.push(row);
  console.log(JSON.stringify(row));
}

/** Measures the service, then each reference with its options; reports the ratios. */
async function versus(scenario, serviceOptions, references) {
  const ours = await measure(serviceOptions);
  report(scenario, 'service', ours);
  for (const [server, options] of references) {
    const theirs = await measure(options);
    report(scenario, server, theirs, `service ${(ours.rps / theirs.rps).toFixed(2)}×`);
  }
  return ours;
}

function creationSummary(label, durations, seconds) {
  const sorted = [...durations].sort((a, b) => a - b);
  const p = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))].toFixed(0);
  console.log(
    `${label}: ${(durations.length / seconds).toFixed(1)} creates/s ` +
      `(p50 ${p(0.5)} ms, p99 ${p(0.99)} ms per create, 8 in flight)`,
  );
}

async function seed(base, from, to) {
  const started = performance.now();
  const durations = await createOrganizations(base, from, to, 'org');
  creationSummary(`organizations ${from}-${to}`, durations, (performance.now() - started) / 1000);
}

/**
 * Two steps of a create on their own, to show which grows with the number of organizations:
 * a bare createCollection (then its drop), and the `creating` → `active` transition as the
 * lifecycle makes it: a read by _id, then a findOneAndUpdate by _id (here on an id that
 * matches nothing, so nothing changes).
 */
async function timeCreateSteps(uri) {
  const client = await MongoClient.connect(uri);
  const median = (times) => times.sort((a, b) => a - b)[2].toFixed(0);
  try {
    const tenants = client.db(NAMES.TENANT_DB_NAME);
    const organizations = client.db(NAMES.MASTER_DB_NAME).collection('organizations');
    const [ddl, transition] = [[], []];
    for (let sample = 0; sample < 5; sample += 1) {
      let started = performance.now();
      await tenants.createCollection(`bench_probe_${sample}`);
      ddl.push(performance.now() - started);
      await tenants.dropCollection(`bench_probe_${sample}`);
      started = performance.now();
      const _id = new ObjectId();
      await organizations.findOne({ _id });
      await organizations.findOneAndUpdate({ _id }, { $set: { status: 'active' } });
      transition.push(performance.now() - started);
    }
    console.log(
      `  alone, p50: createCollection ${median(ddl)} ms, creating → active ${median(transition)} ms`,
    );
  } finally {
    await client.close();
  }
}

/**
 * The time of one bcryptjs hash at --cost while every core hashes, for DURATION seconds,
 * in threads like the service's own (its worker file, so the same priority): the login
 * ceiling is cores ÷ this, measured under the machine's load of the moment.
 */
async function oneHashPerCore() {
  const code = `
    const { workerData, parentPort } = require('node:worker_threads');
    const hash = require(workerData.file);
    const until = Date.now() + workerData.ms;
    let count = 0;
    while (Date.now() < until) {
      hash({ op: 'hash', password: 'x', cost: workerData.cost });
      count += 1;
    }
    parentPort.postMessage(count);`;
  const file = join(__dirname, '..', 'dist', 'auth', 'bcrypt.worker.js');
  const ms = DURATION * 1000;
  const counts = await Promise.all(
    Array.from(
      { length: availableParallelism() },
      () =>
        new Promise((resolve, reject) => {
          const worker = new Worker(code, { eval: true, workerData: { file, ms, cost: COST } });
          worker.once('message', resolve);
          worker.once('error', reject);
        }),
    ),
  );
  return ms / (counts.reduce((sum, count) => sum + count, 0) / counts.length);
}

async function main() {
  let database;
  let dataDir;
  let uri = process.env.MONGODB_URI;
  if (!uri) {
    dataDir = mkdtempSync(join(tmpdir(), 'bench-'));
    database = await startEmbeddedDatabase(dataDir);
    uri = database.uri;
  }
  const PORTS = { seeder: await freePort(), service: await freePort(), raw: await freePort() };
  try {
    console.log(
      `${availableParallelism()} CPUs, load average ${loadavg()[0].toFixed(2)} at start; ` +
        `warm-up ${WARMUP} s, measured ${DURATION} s, c=${CONNECTIONS}; database ${database ? database.engine : uri}`,
    );
    await startService(PORTS.seeder, 4, uri);
    const seeder = `http://127.0.0.1:${PORTS.seeder}`;
    if (args['creates-only']) {
      const block = Math.max(1, Math.round(LARGE / 10));
      for (let from = 0; from < LARGE; from += block) {
        await seed(seeder, from, from + block);
        await timeCreateSteps(uri);
        const get = await cannon({
          url: seeder,
          requests: getRequests(from + block, ''),
          duration: DURATION,
        });
        report(`GET /org/get, ${from + block} orgs`, 'seeding instance', get);
      }
      return;
    }
    await seed(seeder, 0, SMALL);
    await Promise.all([
      startService(PORTS.service, COST, uri),
      start('raw server', 'scripts/bench/raw-server.js', PORTS.raw, {
        RAW_PORT: String(PORTS.raw),
        MONGODB_URI: uri,
      }),
    ]);
    const service = `http://127.0.0.1:${PORTS.service}`;
    const raw = `http://127.0.0.1:${PORTS.raw}`;

    // GET /org/get at SMALL organizations.
    const getAt = (count) =>
      versus(`GET /org/get, ${count} orgs`, { url: service, requests: getRequests(count, '') }, [
        ['raw, name query', { url: raw, requests: getRequests(count, '/name') }],
        ['raw, key lookups', { url: raw, requests: getRequests(count, '/key') }],
      ]);
    const small = await getAt(SMALL);

    // Records: one organization's token, on both servers.
    const { access_token: token } = await post(seeder, '/admin/login', {
      email: 'admin0@org.example',
      password: PASSWORD,
    });
    const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const { id } = await post(service, '/org/records', { sku: 'bench', qty: 1 }, token);
    const read = (url) => ({ url: `${url}/org/records/${id}`, headers: auth });
    await versus('GET /org/records/:id', read(service), [['raw, same calls', read(raw)]]);
    const write = (url) => ({
      url: `${url}/org/records`,
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ sku: 'bench', qty: 2, tags: ['a', 'b'] }),
    });
    await versus('POST /org/records', write(service), [['raw, same calls', write(raw)]]);

    // Logins at the configured cost: admins created through the measured instance.
    await createOrganizations(service, 0, LOGIN_ADMINS, 'login');
    const logins = Array.from({ length: LOGIN_ADMINS }, (_, index) => ({
      method: 'POST',
      path: '/admin/login',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: `admin${index}@login.example`, password: PASSWORD }),
    }));
    const login = await measure({
      url: service,
      requests: logins,
      connections: LOGIN_CONNECTIONS,
      timeout: 30,
    });
    const hashMs = await oneHashPerCore();
    const ceiling = availableParallelism() / (hashMs / 1000);
    report(
      `POST /admin/login, cost ${COST}, c=${LOGIN_CONNECTIONS}`,
      'service',
      login,
      `${(login.rps / ceiling).toFixed(2)}× ceiling ${ceiling.toFixed(1)}/s (one hash ${hashMs.toFixed(0)} ms)`,
    );

    // An unknown email and a wrong password must take the same time (one compare each).
    const failedLogin = async (email) => {
      const times = [];
      for (let attempt = 0; attempt < 20; attempt += 1) {
        const started = performance.now();
        const response = await fetch(`${service}/admin/login`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ email, password: 'wrong-password' }),
        });
        if (response.status !== 401) throw new Error(`login answered ${response.status}`);
        times.push(performance.now() - started);
      }
      return times.sort((a, b) => a - b)[10].toFixed(0);
    };
    console.log(
      `401 login p50: wrong password ${await failedLogin('admin1@login.example')} ms, ` +
        `unknown email ${await failedLogin('nobody@login.example')} ms`,
    );

    // GET /org/get latency while 50 logins are always in flight.
    const storm = autocannon({
      url: service,
      requests: logins,
      connections: LOGIN_ADMINS,
      duration: WARMUP + DURATION + 2,
    });
    await sleep(WARMUP * 1000);
    const during = await cannon({
      url: service,
      requests: getRequests(SMALL, ''),
      connections: 8,
      duration: DURATION,
    });
    await storm;
    report(
      `GET /org/get during ${LOGIN_ADMINS} logins, cost ${COST}, c=8`,
      'service',
      during,
      `p99 ${during.p99} ms (target < 50)`,
    );

    // GET /org/get at LARGE organizations.
    await seed(seeder, SMALL, LARGE);
    const large = await getAt(LARGE);
    table[table.length - 3].ratio = `${(large.rps / small.rps).toFixed(2)}× its figure at ${SMALL}`;

    console.log(`\nload average ${loadavg()[0].toFixed(2)} at end`);
    console.table(table);
  } finally {
    stopping = true;
    for (const child of children) child.kill('SIGTERM');
    await Promise.all(
      children
        .filter((child) => child.exitCode === null && child.signalCode === null)
        .map((child) => new Promise((done) => child.once('exit', done))),
    );
    await database?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
