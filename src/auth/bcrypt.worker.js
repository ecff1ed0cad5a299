'use strict';
// One bcrypt job in a piscina worker thread (see bcrypt-pool.ts). Plain JavaScript, so the
// same file runs from src/ under ts-jest and ts-node and from dist/ once built.
const { compareSync, hashSync } = require('bcryptjs');

module.exports = function bcryptJob(job) {
  return job.op === 'hash' ? hashSync(job.password, job.cost) : compareSync(job.password, job.hash);
};
