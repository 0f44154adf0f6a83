/**
 * Runs tasks for the same key one after another, tasks for different keys in parallel. Commands
 * on one hot stream queue here instead of racing to the store and losing on the revision check:
 * in-process contention costs a wait, not a failed round trip.
 */
export class KeyedMutex {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(task, task);
    const tail = result.catch(() => undefined);
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }
}
