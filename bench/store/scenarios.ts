import type { Contender, ContenderName } from './contenders/contender';
import { SEED_EVENTS } from './workload';

export type ScenarioName = 'appends' | 'commands' | 'hot';

export interface Cell {
  readonly scenario: ScenarioName;
  readonly concurrency: number;
}

export const CELLS: readonly Cell[] = [
  ...[1, 8, 32].map((concurrency) => ({ scenario: 'appends' as const, concurrency })),
  ...[1, 8, 32].map((concurrency) => ({ scenario: 'commands' as const, concurrency })),
  { scenario: 'hot', concurrency: 32 },
];

export interface StreamPools {
  /** Commands walk these round-robin, so concurrent writers almost never share a stream. */
  readonly command: readonly string[];
  /** Hot streams, used one at a time: every writer targets the same one (see HotStream). */
  readonly hot: readonly string[];
  readonly hotRotateEvery: number;
}

export const streamPools = (
  commandStreams: number,
  hotStreams: number,
  hotRotateEvery: number,
): StreamPools => ({
  command: Array.from({ length: commandStreams }, (_, i) => `bench-cmd-${i}`),
  hot: Array.from({ length: hotStreams }, (_, i) => `bench-hot-${i}`),
  hotRotateEvery,
});

/** Seeds every stream with SEED_EVENTS events through the contender itself, 32 at a time. */
export const seed = async (contender: Contender, pools: StreamPools): Promise<void> => {
  const ids = [...pools.command, ...pools.hot];
  let next = 0;
  const worker = async () => {
    while (next < ids.length) await contender.seedStream(ids[next++]!, SEED_EVENTS);
  };
  await Promise.all(Array.from({ length: 32 }, worker));
};

/**
 * The operation a cell times. Cursors live per contender for the whole run, so repeated rounds
 * keep using fresh streams and each contender's streams grow at the same pace per command.
 */
export class Operations {
  private readonly commandCursor = new Map<ContenderName, number>();
  private readonly hot = new Map<ContenderName, HotStream>();
  private appendRun = 0;

  constructor(private readonly pools: StreamPools) {}

  for(cell: Cell, contender: Contender): (worker: number, seq: number) => Promise<void> {
    const name = contender.name;
    switch (cell.scenario) {
      case 'appends': {
        const run = this.appendRun++;
        return (_worker, seq) => contender.appendToNewStream(`bench-new-${run}-${seq}`);
      }
      case 'commands':
        return () =>
          contender.command(
            this.pools.command[this.bump(this.commandCursor, name) % this.pools.command.length]!,
          );
      case 'hot': {
        const hot = this.hot.get(name) ?? new HotStream(this.pools);
        this.hot.set(name, hot);
        return () => hot.command(contender);
      }
    }
  }

  /** Commands issued per contender so far (to tell how far seeded streams have grown). */
  commandsIssued(name: ContenderName): { command: number; hot: number } {
    return { command: this.commandCursor.get(name) ?? 0, hot: this.hot.get(name)?.issuedTotal ?? 0 };
  }

  private bump(cursors: Map<ContenderName, number>, name: ContenderName): number {
    const value = cursors.get(name) ?? 0;
    cursors.set(name, value + 1);
    return value;
  }
}

/**
 * One hot stream at a time. A stream read whole on every command gets slower as it grows, so after
 * `hotRotateEvery` commands the writers move to a fresh 10-event stream; they move together (the
 * last commands on the old stream finish first), so two streams are never in play at once.
 */
class HotStream {
  private turn = 0;
  private issued = 0;
  private inFlight = 0;
  private turnover: { promise: Promise<void>; resolve: () => void } | undefined;
  issuedTotal = 0;

  constructor(private readonly pools: StreamPools) {}

  async command(contender: Contender): Promise<void> {
    while (this.issued >= this.pools.hotRotateEvery) await this.nextTurn();
    this.issued++;
    this.issuedTotal++;
    this.inFlight++;
    try {
      await contender.command(this.pools.hot[this.turn % this.pools.hot.length]!);
    } finally {
      if (--this.inFlight === 0 && this.issued >= this.pools.hotRotateEvery) {
        this.turn++;
        this.issued = 0;
        this.turnover?.resolve();
        this.turnover = undefined;
      }
    }
  }

  private nextTurn(): Promise<void> {
    if (!this.turnover) {
      let resolve!: () => void;
      const promise = new Promise<void>((r) => (resolve = r));
      this.turnover = { promise, resolve };
    }
    return this.turnover.promise;
  }
}
