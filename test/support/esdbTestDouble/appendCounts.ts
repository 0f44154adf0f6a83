/**
 * How many appends the double answered on each path. A real server that advertises BatchAppend
 * gets every append there, so a suite run on the double can prove it took that path too.
 */
export interface AppendCounts {
  /** `Streams.Append` calls answered. */
  append: number;
  /** Appends (one per correlation id, at `is_final`) answered on `Streams.BatchAppend`. */
  batchAppend: number;
}

export const noAppendsYet = (): AppendCounts => ({ append: 0, batchAppend: 0 });
