'use strict';
/**
 * The solver pool's worker entry. A worker thread starts as plain Node, whether the app runs
 * under `node --import tsx` or under jest (ts-jest compiles only jest's own module graph), so
 * this thread loads the TypeScript solver through tsx's CommonJS API itself.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { require: tsxRequire } = require('tsx/cjs/api');

module.exports = tsxRequire('./solverTask.ts', __filename).runSolverTask;
