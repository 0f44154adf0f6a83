/**
 * Which running transactions are appending events, so that readers of `$all` wait only for them.
 *
 * `$all` is read in commit order by hiding every event at or past the oldest transaction still
 * running (sql/readStream.ts). Taken over ALL running transactions, that rule made a read
 * model's batch, an idempotency-key write or a job's bookkeeping hide every event appended
 * while it ran: under booking load some such transaction is nearly always open, and each
 * booking's answer waited for them to end before the read side could even see its event.
 *
 * Now every appending transaction takes a shared advisory lock (this key) before its first
 * write — the append functions do it (appendMarkerMigration.ts) and refuse an append that is not
 * the first write of its transaction — and readers hide events only behind running transactions
 * that hold that lock, or that ended after the reader's snapshot (their kind can no longer be
 * told: they count as appenders). A running transaction without the lock already has its
 * transaction id, so it can never append: nothing it could write would land behind a reader.
 */
export const APPEND_LOCK = { classid: 1095910982, objid: 1 } as const; // 'ARCF', 1

/** The transaction-local setting that tells the append functions the lock is already held. */
export const APPENDING_SETTING = 'arcfit.appending';

/**
 * The transaction id below which every event is committed and no event can still appear, for
 * the statement it is part of: the oldest of the snapshot's running transactions that append (or
 * have ended since), else the snapshot's xmax. Must be evaluated inside the statement that reads
 * `events`, so that both use the same snapshot.
 */
export const VISIBLE_BELOW = `(
  WITH locks AS MATERIALIZED (
    SELECT locktype, mode, granted, transactionid, virtualtransaction, classid, objid, objsubid
      FROM pg_locks WHERE locktype IN ('transactionid', 'advisory')
  ),
  others AS (
    SELECT t.transactionid::text::bigint AS xid32 FROM locks t
     WHERE t.locktype = 'transactionid' AND t.mode = 'ExclusiveLock' AND t.granted
       AND NOT EXISTS (
         SELECT 1 FROM locks a
          WHERE a.locktype = 'advisory' AND a.virtualtransaction = t.virtualtransaction
            AND a.classid = ${APPEND_LOCK.classid} AND a.objid = ${APPEND_LOCK.objid} AND a.objsubid = 2)
  )
  SELECT COALESCE(min(r.x), pg_snapshot_xmax(pg_current_snapshot()))
    FROM pg_snapshot_xip(pg_current_snapshot()) AS r(x)
   WHERE (r.x::text::numeric % 4294967296)::bigint NOT IN (SELECT xid32 FROM others)
)`;
