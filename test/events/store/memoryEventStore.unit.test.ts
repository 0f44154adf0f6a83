import { MemoryEventStore } from '../../../src/events/store/memory/memoryEventStore';
import { describeEventStoreContract } from './eventStoreContract';

describeEventStoreContract(
  'memory',
  async () => {
    const store = new MemoryEventStore();
    return { store, dispose: () => store.close() };
  },
  { transactional: false },
);
