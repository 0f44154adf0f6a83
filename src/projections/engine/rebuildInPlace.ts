import type { Knex } from 'knex';
import type { EventStore } from '../../events/store/eventStore';
import { formatPosition } from '../../events/store/position';
import { physicalTableName, type ProjectionDefinition } from './projection';
import { ShadowRebuild, type RebuildProgress } from './shadowRebuild';
import { pointViewsAt } from './tables';

export interface RebuildOutcome {
  readonly projection: string;
  readonly version: number;
  readonly eventsApplied: number;
  readonly position: string;
}

/**
 * `cli rebuild`: the projection's current version rebuilt from position zero into a shadow
 * schema while the live tables keep serving, then swapped in within one transaction that locks
 * the live tables and the checkpoint first — the live runner waits, finds its checkpoint moved,
 * and carries on from the rebuilt position. Nothing appended meanwhile is lost: the swap only
 * happens once the shadow has seen every committed event.
 */
export const rebuildInPlace = async (
  knex: Knex,
  store: EventStore,
  projection: ProjectionDefinition,
  options: { batchSize?: number; onProgress?: (progress: RebuildProgress) => void } = {},
): Promise<RebuildOutcome> => {
  const shadow = new ShadowRebuild(knex, store, [projection], `rebuild_${projection.name}`, {
    batchSize: options.batchSize,
  });
  await shadow.create();
  try {
    for (let attempt = 1; ; attempt++) {
      await shadow.advanceTo(undefined, options.onProgress);
      const failure = shadow.failures.get(projection.name);
      if (failure) throw new Error(`${projection.name} cannot be rebuilt: ${failure}`);
      if (await swapIn(knex, store, projection, shadow)) break;
      if (attempt >= 20) throw new Error(`${projection.name}: writers kept the rebuild from catching up`);
    }
    return {
      projection: projection.name,
      version: projection.version,
      eventsApplied: shadow.eventsRead,
      position: formatPosition(shadow.position),
    };
  } finally {
    await shadow.drop();
  }
};

const swapIn = async (
  knex: Knex,
  store: EventStore,
  projection: ProjectionDefinition,
  shadow: ShadowRebuild,
): Promise<boolean> =>
  knex.transaction(async (trx) => {
    const { name, version } = projection;
    const tables = Object.keys(projection.tables).map((logical) => physicalTableName(logical, version));
    // Tables first, checkpoint second: the order the live runner takes them in, so no deadlock.
    for (const table of tables) {
      if (await trx.schema.hasTable(table)) await trx.raw('LOCK TABLE ?? IN ACCESS EXCLUSIVE MODE', [table]);
    }
    const checkpoint = await trx('projection_checkpoints')
      .where({ name, version })
      .forUpdate()
      .first<{ status: string } | undefined>();
    const [newer] = await store.readAll({ after: shadow.position, maxCount: 1 });
    if (newer) return false;
    for (const table of tables) {
      await trx.raw('DROP TABLE IF EXISTS ?? CASCADE', [table]);
      await trx.raw('ALTER TABLE ??.?? SET SCHEMA public', [shadow.schema, table]);
    }
    const position = {
      commit_position: shadow.position.commit.toString(),
      prepare_position: shadow.position.prepare.toString(),
      events_applied: shadow.eventsRead,
      updated_at: trx.fn.now(),
    };
    if (checkpoint) await trx('projection_checkpoints').where({ name, version }).update(position);
    else await trx('projection_checkpoints').insert({ name, version, status: 'active', ...position });
    if (!checkpoint || checkpoint.status === 'active') await pointViewsAt(trx, projection);
    return true;
  });
