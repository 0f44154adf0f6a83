/** A recurring job: node-cron runs it on `schedule`; the job API (issue 7) can run it on demand. */
export interface Job {
  readonly name: string;
  /** A cron expression, in UTC unless `timezone` says otherwise. */
  readonly schedule: string;
  readonly timezone?: string;
  /** Returns a one-line summary for the run record. */
  readonly run: () => Promise<string>;
}
