import type { CommandHandler } from '../handling/commandHandler';
import { KeyedMutex } from '../handling/keyedMutex';

/**
 * One queue per key per command handler (one per process): for billing steps that talk to a
 * gateway between two appends, where racing requests would both reach the provider before
 * either is recorded. Across processes the streams' expected revisions still decide.
 */
export const inProcessQueue = () => {
  const queues = new WeakMap<CommandHandler, KeyedMutex>();
  return <T>(commands: CommandHandler, key: string, task: () => Promise<T>): Promise<T> => {
    let queue = queues.get(commands);
    if (!queue) queues.set(commands, (queue = new KeyedMutex()));
    return queue.run(key, task);
  };
};
