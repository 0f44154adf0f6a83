import type { EventStore } from '../../events/store/eventStore';
import { START } from '../../events/store/position';
import { HashChainWalker, type ChainReport } from './hashChainWalker';

const PAGE = 5000;

/** Reads `$all` from the beginning and checks every stream's hash chain (see hashChainWalker.ts). */
export const verifyHashChains = async (
  store: EventStore,
  onProgress?: (eventsChecked: number) => void,
): Promise<ChainReport> => {
  const walker = new HashChainWalker();
  let after = START;
  let checked = 0;
  for (;;) {
    const page = await store.readAll({ after, maxCount: PAGE });
    for (const event of page) walker.observe(event);
    checked += page.length;
    onProgress?.(checked);
    if (page.length < PAGE) return walker.report();
    after = page[page.length - 1]!.position;
  }
};
