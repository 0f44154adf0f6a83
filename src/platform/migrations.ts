import type { Knex } from 'knex';
import { eventStoreMigration } from '../events/store/postgres/migration';
import { projectionEngineMigration } from '../projections/engine/migration';
import { schedulerMigration } from '../scheduler/migration';
import { identityMigration } from '../api/auth/migration';
import { bookingMigration } from '../api/booking/migration';
import { notificationsMigration } from '../projections/notifications/migration';
import { auditMigration } from '../commands/audit/auditMigration';
import { idempotencyMigration } from '../api/http/idempotencyMigration';
import { rateLimitMigration } from '../api/http/rateLimitMigration';
import { auditTrailIndexMigration } from '../events/store/postgres/auditTrailIndexMigration';
import { chainVerificationMigration } from '../commands/audit/chainVerificationMigration';
import { streamGroupsMigration } from '../events/store/postgres/streamGroupsMigration';
import { appendMarkerMigration } from '../events/store/postgres/appendMarkerMigration';
import { revenueBySocietyIndexMigration } from '../projections/billing/revenueBySocietyIndexMigration';

/**
 * Every schema change, in order. Listed here rather than scanned from a folder so the same list
 * runs under tsx, jest and a compiled build. Names are permanent: never rename or edit one.
 */
const migrations: ReadonlyArray<readonly [string, Knex.Migration]> = [
  ['0001_event_store', eventStoreMigration],
  ['0002_projection_engine', projectionEngineMigration],
  ['0003_scheduler', schedulerMigration],
  ['0004_identity', identityMigration],
  ['0006_booking', bookingMigration],
  ['0007_notifications', notificationsMigration],
  ['0009_audit', auditMigration],
  ['0010_idempotency_keys', idempotencyMigration],
  ['0011_rate_limit_windows', rateLimitMigration],
  ['0012_audit_trail_indexes', auditTrailIndexMigration],
  ['0013_hash_chain_verification', chainVerificationMigration],
  ['0014_append_to_stream_groups', streamGroupsMigration],
  ['0015_revenue_by_society_index', revenueBySocietyIndexMigration],
  ['0016_appends_marked', appendMarkerMigration],
];

export const migrationSource: Knex.MigrationSource<string> = {
  getMigrations: async () => migrations.map(([name]) => name),
  getMigrationName: (name) => name,
  getMigration: async (name) => migrations.find(([n]) => n === name)![1],
};

/** Only the event store's tables: what a write-side-only deployment on postgres needs. */
export const migrate = async (knex: Knex): Promise<void> => {
  await knex.migrate.latest({ migrationSource });
};
