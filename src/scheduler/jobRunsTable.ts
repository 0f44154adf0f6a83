import type { Pool, PoolClient } from 'pg';

/** A row of `job_runs`, as the job API reports it. */
export interface JobRunRow {
  readonly id: string;
  readonly job: string;
  readonly trigger: 'scheduled' | 'manual';
  readonly outcome: 'running' | 'succeeded' | 'failed' | 'stopped';
  readonly attempts: number;
  readonly detail: string | null;
  readonly error: string | null;
  readonly scheduled_for: Date | null;
  readonly started_at: Date;
  readonly finished_at: Date | null;
  readonly stop_requested_at: Date | null;
}

/**
 * Records a run as started. A scheduled tick may be recorded once per job: the instance whose
 * insert conflicts gets no id and does not run it.
 */
export const insertJobRun = async (
  client: PoolClient,
  job: string,
  trigger: 'scheduled' | 'manual',
  tick: Date | null,
): Promise<string | undefined> => {
  const { rows } = await client.query<{ id: string }>(
    `INSERT INTO job_runs (job, trigger, outcome, scheduled_for, attempts) VALUES ($1, $2, 'running', $3, 0)
     ON CONFLICT (job, scheduled_for) WHERE scheduled_for IS NOT NULL DO NOTHING
     RETURNING id`,
    [job, trigger, tick],
  );
  return rows[0]?.id;
};

export const latestRunPerJob = async (
  pool: Pool,
  jobs: readonly string[],
): Promise<Map<string, JobRunRow>> => {
  const { rows } = await pool.query<JobRunRow>(
    `SELECT DISTINCT ON (job) * FROM job_runs WHERE job = ANY($1) ORDER BY job, id DESC`,
    [jobs],
  );
  return new Map(rows.map((row) => [row.job, row]));
};
