'use strict';
/* global fetch */
// What the benchmark scripts share: a free loopback port, and waiting for a server to answer.
const { createServer } = require('node:net');
const { setTimeout: sleep } = require('node:timers/promises');

/** A port nobody listens on now (other benchmarks may share this machine). */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Waits until `child` answers HTTP at `base` (any status), failing if it exits first. */
async function waitUntilListening(label, child, base, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${label} exited during start-up`);
    if (Date.now() > deadline) throw new Error(`${label} did not start`);
    try {
      await fetch(`${base}/health/live`);
      return;
    } catch {
      await sleep(250);
    }
  }
}

module.exports = { freePort, waitUntilListening };
