#!/usr/bin/env node
// How long an online move takes, and the longest pause a writing client sees during it.
// Starts FerretDB (the project's embedded database) unless MONGODB_URI is set, and the
// built service (run `npm run build` first). For each size: an organization imports that
// many records (POST /org/import), then 4 writers POST /org/records in a loop while the
// operator API moves it from `shared` to `database` and back. After each move the
// destination must hold every record acknowledged so far.
//   node scripts/bench-move.js [--records 10000,100000] [--writers 4]
'use strict';
/* global fetch */
const { spawn } = require('node:child_process');
const { randomBytes } = require('node:crypto');
const { mkdtempSync, rmSync } = require('node:fs');
const { loadavg, tmpdir } = require('node:os');
const { join } = require('node:path');
const { performance } = require('node:perf_hooks');
const { createInterface } = require('node:readline');
const { parseArgs } = require('node:util');
const { setTimeout: sleep } = require('node:timers/promises');
const { MongoClient } = require('mongoose').mongo;
const { startEmbeddedDatabase } = require('../dist/database/embedded-database');
const { freePort, waitUntilListening } = require('./bench/processes');

const { values: args } = parseArgs({
  options: {
    records: { type: 'string', default: '10000,100000' },
    writers: { type: 'string', default: '4' },
  },
});
const SIZES = args.records.split(',').map(Number);
const WRITERS = Number(args.writers);
const IMPORT_LINES = 5_000;
const run = randomBytes(3).toString('hex');
const NAMES = { MASTER_DB_NAME: `move_master_${run}`, TENANT_DB_NAME: `move_tenants_${run}` };
const OPERATOR_KEY = randomBytes(32).toString('hex');
const operator = { Authorization: `Bearer ${OPERATOR_KEY}` };

async function startService(uri) {
  const port = await freePort();
  const child = spawn(process.execPath, ['dist/main.js'], {
    env: {
      ...process.env,
      ...NAMES,
      NODE_ENV: 'test',
      PORT: String(port),
      MONGODB_URI: uri,
      BCRYPT_COST: '4',
      // Info, for the mover's line with the pause's parts; only that line and errors are shown.
      LOG_LEVEL: 'info',
      OPERATOR_API_KEY: OPERATOR_KEY,
      JWT_SECRET: randomBytes(48).toString('base64url'),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  createInterface({ input: child.stdout }).on('line', (line) => {
    if (!line.startsWith('{')) return;
    const entry = JSON.parse(line);
    if (entry.level >= 40) console.error(line);
    else if (entry.msg === 'Switched a tenant to its new placement') {
      const { changed, drainMs, catchUpMs, pauseMs } = entry;
      console.log(`  switch: ${JSON.stringify({ changed, drainMs, catchUpMs, pauseMs })}`);
    }
  });
  const base = `http://127.0.0.1:${port}`;
  await waitUntilListening('service', child, base);
  return { base, child };
}

async function call(base, method, path, { body, headers = {}, type = 'application/json' } = {}) {
  const response = await fetch(base + path, {
    method,
    headers: { 'Content-Type': type, ...headers },
    body: typeof body === 'string' || body === undefined ? body : JSON.stringify(body),
  });
  const json = await response.json();
  if (!response.ok) throw new Error(`${path} answered ${response.status}: ${JSON.stringify(json)}`);
  return json;
}

async function importRecords(base, token, count) {
  for (let from = 0; from < count; from += IMPORT_LINES) {
    const lines = Array.from(
      { length: Math.min(IMPORT_LINES, count - from) },
      (_, index) => `{"sku":"seed-${from + index}","qty":${index},"tags":["a","b"]}`,
    );
    const { imported } = await call(base, 'POST', '/org/import', {
      body: `${lines.join('\n')}\n`,
      headers: { Authorization: `Bearer ${token}` },
      type: 'application/x-ndjson',
    });
    if (imported !== lines.length) throw new Error(`imported ${imported} of ${lines.length}`);
  }
}

/** Writers that POST records until stopped, keeping every acknowledged id and each latency. */
function startWriters(base, token) {
  const state = { running: true, acknowledged: new Set(), retried: 0, longest: 0, longestAt: 0 };
  const loops = Array.from({ length: WRITERS }, async (_, writer) => {
    for (let sequence = 0; state.running; sequence += 1) {
      const started = performance.now();
      const response = await fetch(`${base}/org/records`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
        body: JSON.stringify({ sku: `writer-${writer}-${sequence}` }),
      });
      const elapsed = performance.now() - started;
      if (elapsed > state.longest) [state.longest, state.longestAt] = [elapsed, Date.now()];
      if (response.status === 201) {
        state.acknowledged.add((await response.json()).id);
      } else if (response.status === 503) {
        state.retried += 1;
        await response.arrayBuffer();
        await sleep(Number(response.headers.get('retry-after') ?? 1) * 1000);
      } else {
        throw new Error(`write answered ${response.status}: ${await response.text()}`);
      }
    }
  });
  return {
    state,
    stop: async () => {
      state.running = false;
      await Promise.all(loops);
    },
  };
}

async function move(base, organizationId, placement) {
  const started = performance.now();
  const { move_id } = await call(base, 'POST', `/operator/organizations/${organizationId}/move`, {
    body: { placement },
    headers: operator,
  });
  for (;;) {
    const status = await call(base, 'GET', `/operator/moves/${move_id}`, { headers: operator });
    if (status.state === 'done') return (performance.now() - started) / 1000;
    if (status.state === 'failed') throw new Error(`move failed: ${status.error}`);
    await sleep(100);
  }
}

async function measureSize(base, client, records) {
  const name = `move-${records}-${randomBytes(2).toString('hex')}`;
  const email = `admin@${name}.example`;
  const { organization_id } = await call(base, 'POST', '/org/create', {
    body: { organization_name: name, email, password: 'bench-password-1' },
  });
  const { access_token: token } = await call(base, 'POST', '/admin/login', {
    body: { email, password: 'bench-password-1' },
  });
  const started = performance.now();
  await importRecords(base, token, records);
  const importSeconds = (performance.now() - started) / 1000;
  const collection = {
    shared: () => client.db(NAMES.TENANT_DB_NAME).collection(`org_${name}`),
    database: () =>
      client.db(`${NAMES.TENANT_DB_NAME}_${organization_id}`).collection(`org_${name}`),
  };

  const rows = [];
  for (const placement of ['database', 'shared']) {
    const writers = startWriters(base, token);
    await sleep(1_000);
    const beforeMove = writers.state.longest;
    writers.state.longest = 0;
    const seconds = await move(base, organization_id, placement);
    const pause = writers.state.longest;
    await sleep(500);
    await writers.stop();
    const ids = new Set(
      (
        await collection[placement]()
          .find({}, { projection: { _id: 1 } })
          .toArray()
      ).map(({ _id }) => String(_id)),
    );
    const lost = [...writers.state.acknowledged].filter((id) => !ids.has(id)).length;
    const row = {
      records,
      move: `to ${placement}`,
      'move s': seconds.toFixed(1),
      'records/s': Math.round(records / seconds),
      'longest write ms': Math.round(pause),
      'idle longest ms': Math.round(beforeMove),
      '503s': writers.state.retried,
      acknowledged: writers.state.acknowledged.size,
      lost,
      'destination docs': ids.size,
    };
    console.log(JSON.stringify(row));
    rows.push(row);
  }
  console.log(`  (import of ${records} records took ${importSeconds.toFixed(1)} s)`);
  return rows;
}

async function main() {
  let database;
  let dataDir;
  let uri = process.env.MONGODB_URI;
  if (!uri) {
    dataDir = mkdtempSync(join(tmpdir(), 'bench-move-'));
    database = await startEmbeddedDatabase(dataDir);
    uri = database.uri;
  }
  console.log(`load average ${loadavg()[0].toFixed(2)} at start; ${WRITERS} writers`);
  const service = await startService(uri);
  const client = await MongoClient.connect(uri);
  try {
    const rows = [];
    for (const records of SIZES) rows.push(...(await measureSize(service.base, client, records)));
    console.log(`load average ${loadavg()[0].toFixed(2)} at end`);
    console.table(rows);
  } finally {
    await client.close();
    service.child.kill('SIGTERM');
    await new Promise((done) => service.child.once('exit', done));
    await database?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
