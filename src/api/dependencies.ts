import type { Knex } from 'knex';
import type { Logger } from 'pino';
import type { CommandHandler } from '../commands/shared/commandHandler';
import type { EventStore } from '../events/store/eventStore';
import type { ProjectionEngine } from '../projections/engine/projectionEngine';
import type { ReadYourWrites } from './http/readYourWrites';

/** What the HTTP layer is given; built once in src/main.ts (or by a test). */
export interface ApiDependencies {
  knex: Knex;
  store: EventStore;
  commands: CommandHandler;
  readYourWrites: ReadYourWrites;
  /** Present where projections run in this process; /ready falls back to the checkpoint table. */
  projections: Pick<ProjectionEngine, 'lag'>;
  logger: Logger;
}
