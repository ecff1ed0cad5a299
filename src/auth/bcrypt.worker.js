'use strict';
// One bcrypt job in a piscina worker thread (see bcrypt-pool.ts). Plain JavaScript, so the
// same file runs from src/ under ts-jest and ts-node and from dist/ once built.
const { compareSync, hashSync } = require('bcryptjs');
const { readlinkSync } = require('node:fs');
const { setPriority } = require('node:os');
const { performance } = require('node:perf_hooks');

/** Nice value of a hashing thread: the event loop and the database win a contended CPU. */
const HASHING_NICENESS = 10;

// On Linux, nice values are per thread: /proc/thread-self names this thread's id. Elsewhere
// the thread keeps the process's priority.
try {
  setPriority(Number(readlinkSync('/proc/thread-self').split('/').pop()), HASHING_NICENESS);
} catch {
  // not Linux, or not allowed: hashing simply competes as an equal
}

/** Wall-clock milliseconds with sub-millisecond precision, comparable across threads. */
const now = () => performance.timeOrigin + performance.now();

module.exports = function bcryptJob(job) {
  const startedAt = now();
  const value =
    job.op === 'hash' ? hashSync(job.password, job.cost) : compareSync(job.password, job.hash);
  return { value, startedAt, finishedAt: now() };
};
