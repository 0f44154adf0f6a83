import { physicalTableName, type ProjectionContext, type ProjectionDefinition } from './projection';

/**
 * The same projection writing to `<prefix>_<table>` tables under its own name and checkpoint:
 * a full rebuild beside the live one, to compare row by row (replay verification, crash tests).
 */
export const shadowOf = (projection: ProjectionDefinition, prefix: string): ProjectionDefinition => {
  const shadowed = (ctx: ProjectionContext): ProjectionContext => ({
    ...ctx,
    table: (logical) => physicalTableName(`${prefix}_${logical}`, projection.version),
  });
  const shape = {
    ...projection,
    name: `${prefix}_${projection.name}`,
    tables: Object.fromEntries(
      Object.entries(projection.tables).map(([logical, define]) => [`${prefix}_${logical}`, define]),
    ),
  };
  if (projection.applyBatch) {
    const { applyBatch } = projection;
    return { ...shape, apply: undefined, applyBatch: (events, ctx) => applyBatch(events, shadowed(ctx)) };
  }
  const { apply } = projection;
  return { ...shape, applyBatch: undefined, apply: (event, ctx) => apply(event, shadowed(ctx)) };
};
