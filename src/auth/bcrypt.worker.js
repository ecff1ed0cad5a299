'use strict';
// One bcrypt job in a piscina worker thread (see bcrypt-pool.ts). Plain JavaScript, so the
// same file runs from src/ under ts-jest and ts-node and from dist/ once built.
const { compareSync, hashSync } = require('bcryptjs');
const { performance } = require('node:perf_hooks');

/** Wall-clock milliseconds with sub-millisecond precision, comparable across threads. */
const now = () => performance.timeOrigin + performance.now();

module.exports = function bcryptJob(job) {
  const startedAt = now();
  const value =
    job.op === 'hash' ? hashSync(job.password, job.cost) : compareSync(job.password, job.hash);
  return { value, startedAt, finishedAt: now() };
};
