import { physicalTableName, type ProjectionDefinition } from './projection';

/**
 * The same projection writing to `<prefix>_<table>` tables under its own name and checkpoint:
 * a full rebuild beside the live one, to compare row by row (replay verification, crash tests).
 */
export const shadowOf = (projection: ProjectionDefinition, prefix: string): ProjectionDefinition => ({
  ...projection,
  name: `${prefix}_${projection.name}`,
  tables: Object.fromEntries(
    Object.entries(projection.tables).map(([logical, define]) => [`${prefix}_${logical}`, define]),
  ),
  apply: (event, ctx) =>
    projection.apply(event, {
      ...ctx,
      table: (logical) => physicalTableName(`${prefix}_${logical}`, projection.version),
    }),
});
