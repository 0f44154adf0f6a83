import type { Knex } from 'knex';
import type { EventStore } from '../../events/store/eventStore';
import { comparePositions, formatPosition, type Position } from '../../events/store/position';
import { readCheckpoints, type Checkpoint } from './checkpoints';
import { physicalTableName, type ProjectionDefinition } from './projection';
import { ShadowRebuild } from './shadowRebuild';

export interface TableDifference {
  readonly table: string;
  readonly liveRows: number;
  readonly replayedRows: number;
  /** Rows the replay produced that the live table lacks (or holds differently). */
  readonly missingFromLive: number;
  /** Rows the live table holds that the replay did not produce. */
  readonly unexpectedInLive: number;
  /** A few of the differing rows, as JSON, to start looking from. */
  readonly samples: ReadonlyArray<{ side: 'missing-from-live' | 'unexpected-in-live'; row: unknown }>;
}

export type ProjectionVerdict =
  | { readonly name: string; readonly version: number; readonly outcome: 'equal'; readonly tables: number }
  | {
      readonly name: string;
      readonly version: number;
      readonly outcome: 'differs';
      readonly differences: readonly TableDifference[];
    }
  | {
      readonly name: string;
      readonly version: number;
      readonly outcome: 'not-compared';
      readonly reason: string;
    };

export interface ReplayReport {
  readonly ok: boolean;
  readonly position: string;
  readonly eventsReplayed: number;
  readonly projections: readonly ProjectionVerdict[];
}

const SAMPLE_ROWS = 5;

/**
 * Replay verification: rebuild every projection from position zero into a shadow schema and
 * compare it row by row with the live tables, at the same position. Live runners keep going
 * meanwhile, so the comparison runs in one REPEATABLE READ snapshot whose checkpoints must equal
 * the shadow's position; a live side that is behind is waited for (up to `timeoutMs`), one that
 * is ahead is followed by replaying further.
 */
export const verifyReplay = async (
  knex: Knex,
  store: EventStore,
  projections: readonly ProjectionDefinition[],
  options: { schema?: string; timeoutMs?: number; batchSize?: number; keepShadow?: boolean } = {},
): Promise<ReplayReport> => {
  const shadow = new ShadowRebuild(knex, store, projections, options.schema ?? 'replay_verification', {
    batchSize: options.batchSize,
  });
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  await shadow.create();
  try {
    for (;;) {
      await shadow.advanceTo(await store.headPosition());
      const verdicts = await compareAtShadowPosition(knex, shadow);
      const ahead = verdicts.some(
        (v) => v.outcome === 'not-compared' && v.reason.startsWith('live is ahead'),
      );
      const behind = verdicts.some(
        (v) => v.outcome === 'not-compared' && v.reason.startsWith('live is behind'),
      );
      if ((ahead || behind) && Date.now() < deadline) {
        if (!ahead) await new Promise((resolve) => setTimeout(resolve, 200)); // live catching up
        continue;
      }
      return {
        ok: verdicts.every((v) => v.outcome === 'equal'),
        position: formatPosition(shadow.position),
        eventsReplayed: shadow.eventsRead,
        projections: verdicts,
      };
    }
  } finally {
    if (!options.keepShadow) await shadow.drop();
  }
};

const compareAtShadowPosition = async (knex: Knex, shadow: ShadowRebuild): Promise<ProjectionVerdict[]> =>
  knex.transaction(
    async (trx) => {
      const checkpoints = await readCheckpoints(trx as unknown as Knex);
      const verdicts: ProjectionVerdict[] = [];
      for (const projection of shadow.projections) {
        const { name, version } = projection;
        const failure = shadow.failures.get(name);
        if (failure) {
          verdicts.push({
            name,
            version,
            outcome: 'not-compared',
            reason: `not replayable in a shadow: ${failure}`,
          });
          continue;
        }
        const live = checkpoints.find((c) => c.name === name && c.version === version);
        const skew = positionSkew(live, shadow.position);
        if (skew) {
          verdicts.push({ name, version, outcome: 'not-compared', reason: skew });
          continue;
        }
        const differences: TableDifference[] = [];
        for (const logical of Object.keys(projection.tables)) {
          const difference = await compareTable(trx, shadow.schema, physicalTableName(logical, version));
          if (difference) differences.push(difference);
        }
        verdicts.push(
          differences.length === 0
            ? { name, version, outcome: 'equal', tables: Object.keys(projection.tables).length }
            : { name, version, outcome: 'differs', differences },
        );
      }
      return verdicts;
    },
    { isolationLevel: 'repeatable read' },
  );

const positionSkew = (live: Checkpoint | undefined, shadow: Position): string | undefined => {
  if (!live) return 'live is behind: this version has no checkpoint yet';
  const order = comparePositions(live.position, shadow);
  if (order < 0) return `live is behind (${formatPosition(live.position)} < ${formatPosition(shadow)})`;
  if (order > 0) return `live is ahead (${formatPosition(live.position)} > ${formatPosition(shadow)})`;
  return undefined;
};

/** Row by row, as jsonb (every column type compares that way, json and arrays included). */
const compareTable = async (
  trx: Knex.Transaction,
  schema: string,
  table: string,
): Promise<TableDifference | undefined> => {
  const { rows } = await trx.raw<{ rows: Array<{ side: string; n: string; samples: unknown[] | null }> }>(
    `WITH replayed AS (SELECT to_jsonb(r) AS row FROM ??.?? r),
          live AS (SELECT to_jsonb(l) AS row FROM public.?? l),
          missing AS (SELECT row FROM replayed EXCEPT ALL SELECT row FROM live),
          unexpected AS (SELECT row FROM live EXCEPT ALL SELECT row FROM replayed)
     SELECT 'replayed' AS side, count(*) AS n, NULL::jsonb[] AS samples FROM replayed
     UNION ALL SELECT 'live', count(*), NULL FROM live
     UNION ALL SELECT 'missing-from-live', count(*), (array_agg(row))[1:${SAMPLE_ROWS}] FROM missing
     UNION ALL SELECT 'unexpected-in-live', count(*), (array_agg(row))[1:${SAMPLE_ROWS}] FROM unexpected`,
    [schema, table, table],
  );
  const count = (side: string) => Number(rows.find((r) => r.side === side)?.n ?? 0);
  const samplesOf = (side: 'missing-from-live' | 'unexpected-in-live') =>
    (rows.find((r) => r.side === side)?.samples ?? []).map((row) => ({ side, row }));
  const missingFromLive = count('missing-from-live');
  const unexpectedInLive = count('unexpected-in-live');
  if (missingFromLive === 0 && unexpectedInLive === 0) return undefined;
  return {
    table,
    liveRows: count('live'),
    replayedRows: count('replayed'),
    missingFromLive,
    unexpectedInLive,
    samples: [...samplesOf('missing-from-live'), ...samplesOf('unexpected-in-live')],
  };
};
