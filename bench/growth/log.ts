import { ensureSuperAdmin } from '../../src/commands/identity/bootstrapSuperAdmin';
import { CommandHandler } from '../../src/commands/handling/commandHandler';
import type { EventStore } from '../../src/events/store/eventStore';
import { PersonalDataKeys } from '../../src/events/store/personalData/personalDataKeys';
import { ProtectedEventStore } from '../../src/events/store/personalData/protectedEventStore';
import { PostgresEventStore } from '../../src/events/store/postgres/postgresEventStore';
import { openDatabase, type Database } from '../../src/platform/database';
import { migrate } from '../../src/platform/migrations';
import { seedHistories, spreadOverHistory } from '../projections/seed';
import { withClient, withDatabase } from '../support/pgClient';

/**
 * The log that grows: a database no API, engine or CLI ever opens, holding only events (bench:
 * projections' society histories, appended straight to the store as services.ts composes it, and
 * the super_admin every API process of the bench signs in as). Each measured point runs on a
 * copy of it (CREATE DATABASE … TEMPLATE), so every point's API starts with empty read models
 * and catches up from position zero, however many points came before.
 */
export const ROOT = {
  email: 'bench-root@example.com',
  password: 'bench root passphrase',
  name: 'Bench Root',
};

/** Histories are planned in memory: appended this many events at a time, memory stays bounded. */
const CHUNK = 100_000;

/** Statements that cannot run on the database they name (CREATE/DROP DATABASE). */
const onMaintenanceDatabase = async (url: string, sql: string): Promise<void> => {
  await withClient(withDatabase(url, 'postgres'), (client) => client.query(sql));
};

export class GrowingLog {
  private database: Database | undefined;
  private store: EventStore | undefined;
  private societies = 0;
  private startsAt: Date | undefined;
  /** Events appended so far (the histories' count; the super_admin's one event aside). */
  events = 0;

  constructor(
    readonly url: string,
    private readonly name: string,
  ) {}

  private open(): { database: Database; store: EventStore } {
    if (!this.database || !this.store) {
      this.database = openDatabase(this.url, { maxConnections: 10, applicationName: 'bench-growth' });
      this.store = new ProtectedEventStore(
        new PostgresEventStore(this.database.pool),
        new PersonalDataKeys(this.database.pool),
      );
    }
    return { database: this.database, store: this.store };
  }

  /** Migrated, with the super_admin first in the log (so an API process never waits to create it). */
  async create(): Promise<void> {
    const { database, store } = this.open();
    await migrate(database.knex);
    await ensureSuperAdmin(new CommandHandler(store), ROOT);
  }

  /**
   * Appends whole society histories until the log holds at least `target` events, then spreads
   * `created_at` over the histories' weeks (as bench:projections does: the notifications
   * projection treats young facts as news).
   */
  async growTo(target: number, onProgress: (events: number) => void): Promise<void> {
    const { database, store } = this.open();
    while (this.events < target) {
      const { events, histories } = await seedHistories(
        store,
        Math.min(CHUNK, target - this.events),
        8,
        this.societies,
      );
      this.events += events;
      this.societies += histories.societies.length;
      this.startsAt ??= histories.startsAt;
      onProgress(this.events);
    }
    await spreadOverHistory(database.pool, this.startsAt!);
  }

  /** A copy of the log as it is now, as database `name`; its URL. */
  async copyAs(name: string): Promise<string> {
    // A template may have no other sessions.
    await this.close();
    await onMaintenanceDatabase(this.url, `CREATE DATABASE ${name} TEMPLATE ${this.name}`);
    return withDatabase(this.url, name);
  }

  async drop(name: string): Promise<void> {
    await onMaintenanceDatabase(this.url, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  }

  async close(): Promise<void> {
    await this.store?.close();
    await this.database?.close();
    this.store = undefined;
    this.database = undefined;
  }
}
