/**
 * A place in `$all`. Every adapter maps its own notion onto this pair, compared as a pair:
 * - postgres: (transaction_id, global_position) — commit order, see docs/architecture.md;
 * - esdb: (commit, prepare) positions of the transaction log;
 * - memory: (n, n).
 * Never compare or checkpoint by one half alone.
 */
export interface Position {
  readonly commit: bigint;
  readonly prepare: bigint;
}

export const START: Position = Object.freeze({ commit: -1n, prepare: -1n });

export const comparePositions = (a: Position, b: Position): number => {
  if (a.commit !== b.commit) return a.commit < b.commit ? -1 : 1;
  if (a.prepare !== b.prepare) return a.prepare < b.prepare ? -1 : 1;
  return 0;
};

/** `"<commit>/<prepare>"`: the form a position takes in HTTP answers and `?min_position=`. */
export const formatPosition = (p: Position): string => `${p.commit}/${p.prepare}`;

const POSITION_TEXT = /^(-1|\d{1,20})\/(-1|\d{1,20})$/;

export const parsePosition = (text: string): Position | undefined => {
  const match = POSITION_TEXT.exec(text);
  if (!match) return undefined;
  return { commit: BigInt(match[1]!), prepare: BigInt(match[2]!) };
};
