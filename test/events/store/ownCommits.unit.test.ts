import { OwnCommits } from '../../../src/events/store/postgres/ownCommits';

/** A long timeout: a wait that resolves did so because of what the test did, not the timer. */
const NEVER = 60_000;

const settledWithinATurn = async (wait: Promise<void>) => {
  let settled = false;
  void wait.then(() => (settled = true));
  await new Promise((resolve) => setImmediate(resolve));
  return settled;
};

describe('own commits — what a subscriber hidden behind an older transaction waits on', () => {
  it('ends a wait when a commit older than the hidden one is answered, never for a younger one', async () => {
    const commits = new OwnCommits();
    const waiting = commits.waitForOlder(100n, NEVER);
    commits.committed(101n);
    commits.committed(100n);
    expect(await settledWithinATurn(waiting)).toBe(false);
    commits.committed(99n);
    expect(await settledWithinATurn(waiting)).toBe(true);
  });

  it('tells whether an older commit was answered since a read began', () => {
    const commits = new OwnCommits();
    commits.committed(50n);
    const mark = commits.mark();
    expect(commits.olderSince(mark, 100n)).toBe(false);
    commits.committed(120n);
    expect(commits.olderSince(mark, 100n)).toBe(false);
    commits.committed(90n);
    expect(commits.olderSince(mark, 100n)).toBe(true);
    expect(commits.olderSince(commits.mark(), 100n)).toBe(false);
  });

  it('answers "older" when more commits came since the read than it keeps', () => {
    const commits = new OwnCommits();
    const mark = commits.mark();
    for (let id = 1000n; id < 1300n; id++) commits.committed(id);
    expect(commits.olderSince(mark, 10n)).toBe(true);
  });

  it('keeps the appends of one batch (one transaction) once', () => {
    const commits = new OwnCommits();
    const mark = commits.mark();
    for (let k = 0; k < 300; k++) commits.committed(500n);
    expect(commits.olderSince(mark, 400n)).toBe(false);
  });

  it('gives a hidden wait only when what was known before the read is past the cursor and no older append ended since', async () => {
    const commits = new OwnCommits();
    const read = commits.readBegins(100n);
    expect(commits.hiddenWait(read, 100n, NEVER)).toBeUndefined();
    commits.committed(150n);
    const hidden = commits.hiddenWait(read, 90n, NEVER)!;
    expect(hidden).toBeDefined();
    commits.committed(95n);
    expect(await settledWithinATurn(hidden)).toBe(true);
    expect(commits.hiddenWait(read, 90n, NEVER)).toBeUndefined();
  });

  it('knows its own recent commits (its NOTIFY heard back) and no others', () => {
    const commits = new OwnCommits();
    expect(commits.isOwn(0n)).toBe(false);
    commits.committed(7n);
    expect(commits.isOwn(7n)).toBe(true);
    expect(commits.isOwn(8n)).toBe(false);
  });

  it('ends every wait at wakeAll, on abort, and on its timer', async () => {
    const commits = new OwnCommits();
    const woken = commits.waitForOlder(100n, NEVER);
    commits.wakeAll();
    expect(await settledWithinATurn(woken)).toBe(true);
    const stop = new AbortController();
    const aborted = commits.waitForOlder(100n, NEVER, stop.signal);
    stop.abort();
    expect(await settledWithinATurn(aborted)).toBe(true);
    await commits.waitForOlder(100n, 1);
    expect(await settledWithinATurn(commits.waitForOlder(100n, NEVER, stop.signal))).toBe(true);
  });
});
