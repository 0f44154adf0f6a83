/**
 * A recurring job: node-cron runs it on `schedule`; the job control API (`/api/v1/cron-jobs/…`)
 * can run it on demand. Register one by appending it to the job list in
 * `src/platform/services.ts`; `name` is the spec's task name (e.g. `booking_cleanup`).
 */
export interface Job {
  readonly name: string;
  /** A cron expression, in UTC unless `timezone` says otherwise; `CRON_<TASK>` overrides it. */
  readonly schedule: string;
  /** The IANA zone `schedule` runs in (default UTC, never the host's); shown by GET /cron-jobs/status. */
  readonly timezone?: string;
  /**
   * Returns a one-line summary for the run record; throwing fails the attempt, which is retried
   * with backoff (see `retry`). `signal` aborts when a super admin stops the run: long jobs
   * should check it between steps.
   */
  readonly run: (signal: AbortSignal) => Promise<string>;
  /** Attempts per run (default 3) and the first backoff delay (default 1 s, doubling). */
  readonly retry?: { readonly attempts?: number; readonly initialDelayMs?: number };
}
