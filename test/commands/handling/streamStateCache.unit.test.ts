import { StreamStateCache, type CachedStream } from '../../../src/commands/handling/streamStateCache';

const deciderA = { name: 'a' };
const deciderB = { name: 'b' };
const folded = (revision: number, decider: unknown = deciderA): CachedStream => ({
  decider,
  state: { revision },
  revision,
  commandIds: new Set(),
});

describe('stream state cache', () => {
  it('answers only for the decider the state was folded with', () => {
    const cache = new StreamStateCache();
    cache.set('class-1', folded(3));
    expect(cache.get('class-1', deciderA)?.revision).toBe(3);
    expect(cache.get('class-1', deciderB)).toBeUndefined();
  });

  it('holds at most its capacity, dropping the stream used longest ago', () => {
    const cache = new StreamStateCache(2);
    cache.set('s1', folded(1));
    cache.set('s2', folded(2));
    cache.get('s1', deciderA); // s1 is now the most recently used
    cache.set('s3', folded(3));
    expect(cache.get('s2', deciderA)).toBeUndefined();
    expect(cache.get('s1', deciderA)?.revision).toBe(1);
    expect(cache.get('s3', deciderA)?.revision).toBe(3);
  });

  it('a newer write replaces the entry; a dropped entry is gone', () => {
    const cache = new StreamStateCache();
    cache.set('s1', folded(1));
    cache.set('s1', folded(2));
    expect(cache.get('s1', deciderA)?.revision).toBe(2);
    cache.delete('s1');
    expect(cache.get('s1', deciderA)).toBeUndefined();
  });
});
