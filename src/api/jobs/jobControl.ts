import type { Scheduler } from '../../scheduler/scheduler';

/** What the job control API needs: the scheduler of this process, and how often a task may be triggered. */
export interface JobControl {
  readonly scheduler: Pick<
    Scheduler,
    'taskNames' | 'hasTask' | 'trigger' | 'setSchedule' | 'requestStop' | 'status'
  >;
  /** Manual triggers per task per minute, across every instance (counted in `job_runs`). */
  readonly triggersPerMinute: number;
}
