import { ConfigurationError } from '../config';

/**
 * A process that cannot start says why and exits non-zero. A configuration problem is the
 * operator's to fix, so it is the one line naming the setting; anything else keeps its stack.
 */
export const exitOnStartupFailure = (error: unknown): never => {
  console.error(error instanceof ConfigurationError ? error.message : error);
  process.exit(1);
};
