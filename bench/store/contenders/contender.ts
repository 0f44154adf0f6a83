/** One way of storing events, driven identically by every scenario. */
export interface Contender {
  readonly name: ContenderName;
  /** Appends one event to a stream that must not exist yet. */
  appendToNewStream(streamId: string): Promise<void>;
  /** Creates a stream holding `count` events (not timed). */
  seedStream(streamId: string, count: number): Promise<void>;
  /** Reads the stream, folds it, decides one event and appends it. */
  command(streamId: string): Promise<void>;
  close(): Promise<void>;
}

export type ContenderName = 'ours' | 'pg' | 'emmett';

export const CONTENDER_LABELS: Record<ContenderName, string> = {
  ours: 'ours (PostgresEventStore)',
  pg: '(a) plain pg INSERT',
  emmett: '(b) Emmett PostgreSQL',
};

/** Every contender gets a pool this size, enough for 32 writers plus slack. */
export const POOL_SIZE = 40;
