'use strict';
/* eslint-disable @typescript-eslint/no-require-imports -- plain Node loads this file: CommonJS */
/**
 * The solver pool's worker entry. A worker thread starts as plain Node. In a build (dist/) the
 * solver sits beside this file as compiled JavaScript and loads with plain require, so production
 * needs no TypeScript tooling. From the sources, whether the app runs under `node --import tsx`
 * or under jest (ts-jest compiles only jest's own module graph), there is only the TypeScript,
 * which this thread loads through tsx's CommonJS API itself.
 */
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const compiled = join(__dirname, 'solverTask.js');

const loadSolverTask = () => {
  if (existsSync(compiled)) return require(compiled);
  const { require: tsxRequire } = require('tsx/cjs/api');
  return tsxRequire('./solverTask.ts', __filename);
};

module.exports = loadSolverTask().runSolverTask;
