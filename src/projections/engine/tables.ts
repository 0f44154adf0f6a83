import type { Knex } from 'knex';
import { physicalTableName, type ProjectionDefinition } from './projection';
import { createAnalystViews, dropAnalystViews } from '../analytics/analystViews';

/** Creates the projection's tables for its version if they are not there yet. */
export const ensureTables = async (
  knex: Knex,
  projection: ProjectionDefinition,
  schema?: string,
): Promise<void> => {
  // A fresh schema builder per statement: knex builders accumulate what they were asked before.
  const schemaBuilder = () => (schema ? knex.schema.withSchema(schema) : knex.schema);
  for (const [logical, define] of Object.entries(projection.tables)) {
    const name = physicalTableName(logical, projection.version);
    if (!(await schemaBuilder().hasTable(name))) await schemaBuilder().createTable(name, define);
  }
};

/** Points each `<table>` view at this version's `<table>_v<version>`; callers run it in a transaction. */
export const pointViewsAt = async (
  trx: Knex.Transaction,
  projection: ProjectionDefinition,
): Promise<void> => {
  // Analysts' views read these views: out of the way first, back (over the new version) after.
  await dropAnalystViews(trx);
  for (const logical of Object.keys(projection.tables)) {
    // DROP + CREATE rather than CREATE OR REPLACE: a new version may have different columns.
    await trx.raw('DROP VIEW IF EXISTS ??', [logical]);
    await trx.raw('CREATE VIEW ?? AS SELECT * FROM ??', [
      logical,
      physicalTableName(logical, projection.version),
    ]);
  }
  await createAnalystViews(trx);
};

export const dropVersionTables = async (knex: Knex, projection: ProjectionDefinition, version: number) => {
  for (const logical of Object.keys(projection.tables)) {
    await knex.schema.dropTableIfExists(physicalTableName(logical, version));
  }
};
