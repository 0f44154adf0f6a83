import { availableParallelism, loadavg } from 'node:os';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { queueOperationsAlert } from '../../commands/notifications/operationsAlerts';
import type { ProjectionEngine } from '../../projections/engine/projectionEngine';
import type { Job } from '../job';

export interface HealthThresholds {
  /** A serving projection further behind than this is a finding. */
  readonly maxLagSeconds: number;
  /** A delivery due longer ago than this and still unsent means the dispatcher is not keeping up. */
  readonly maxBacklogMinutes: number;
  /** The 1-minute load average per core above which the machine counts as overloaded. */
  readonly maxLoadPerCore: number;
}

const DEFAULTS: HealthThresholds = { maxLagSeconds: 30, maxBacklogMinutes: 15, maxLoadPerCore: 2 };

/**
 * The spec's daily `health_check`: failed job runs and failed notifications of the last 24 h,
 * projection lag, and the dispatcher's backlog. Findings go to super admins as one alert a day
 * (the alert's id is keyed by the day, so a re-run does not repeat it).
 */
export const healthCheckJob = (
  knex: Knex,
  engine: Pick<ProjectionEngine, 'lag'>,
  logger: Logger,
  thresholds: Partial<HealthThresholds> = {},
  clock: () => Date = () => new Date(),
): Job => ({
  name: 'health_check',
  schedule: '0 0 * * *',
  run: async () => {
    const { maxLagSeconds, maxBacklogMinutes, maxLoadPerCore } = { ...DEFAULTS, ...thresholds };
    const now = clock();
    const since = new Date(now.getTime() - 24 * 3600_000);
    const findings: string[] = [];
    const lag = await engine.lag();
    for (const p of lag.filter((p) => p.status === 'active' && p.lagSeconds > maxLagSeconds)) {
      findings.push(`projection ${p.name}@v${p.version} is ${p.lagSeconds.toFixed(0)} s behind`);
    }
    const failedJobs = await knex('job_runs')
      .where('outcome', 'failed')
      .andWhere('started_at', '>=', since)
      .select('job')
      .count<{ job: string; count: string }[]>('* as count')
      .groupBy('job');
    for (const f of failedJobs) findings.push(`job ${f.job} failed ${f.count} time(s)`);
    const [failed] = await knex('notifications')
      .where('status', 'failed')
      .andWhere('updated_at', '>=', since)
      .count<{ count: string }[]>('* as count');
    if (Number(failed?.count) > 0) findings.push(`${failed?.count} notification(s) failed`);
    const [overdue] = await knex('notification_deliveries as d')
      .join('notifications as n', 'n.id', 'd.notification_id')
      .where({ 'd.status': 'pending', 'n.status': 'pending' })
      .andWhere('d.next_attempt_at', '<', new Date(now.getTime() - maxBacklogMinutes * 60_000))
      .count<{ count: string }[]>('* as count');
    // The spec's "system resource usage": sustained load beyond the cores is a finding.
    const [load1] = loadavg();
    if (load1! > maxLoadPerCore * availableParallelism()) {
      findings.push(`load average ${load1!.toFixed(1)} on ${availableParallelism()} cores`);
    }
    if (Number(overdue?.count) > 0)
      findings.push(`${overdue?.count} delivery(ies) overdue by more than ${maxBacklogMinutes} min`);

    if (!findings.length) return `healthy (${lag.length} projections caught up or within ${maxLagSeconds} s)`;
    logger.warn({ findings }, 'health check findings');
    await queueOperationsAlert(
      knex,
      {
        key: `health_check:${now.toISOString().slice(0, 10)}`,
        subject: `ArcFit health check: ${findings.length} finding(s)`,
        body: findings.map((f) => `- ${f}`).join('\n'),
      },
      now,
    );
    return findings.join('; ');
  },
});
