import type { Knex } from 'knex';

/**
 * 0007_notifications. The outbox and the scheduler's run state are operational tables, not
 * versioned read models: a projection rebuild must never send a message again, so
 * `notifications` is written with deterministic ids and `ON CONFLICT DO NOTHING`, and its
 * delivery columns belong to the dispatcher alone.
 */
export const notificationsMigration: Knex.Migration = {
  async up(knex) {
    await knex.raw(`
      CREATE TABLE notifications (
        id                uuid PRIMARY KEY,
        notification_type text NOT NULL,
        recipient_kind    text NOT NULL CHECK (recipient_kind IN ('member', 'trainer', 'user')),
        recipient_id      uuid NOT NULL,
        member_id         uuid,
        user_id           uuid,
        event_id          uuid,
        society_id        uuid,
        email             text,
        phone_number      text,
        subject           text NOT NULL,
        body              text NOT NULL,
        scheduled_time    timestamptz NOT NULL,
        status            text NOT NULL DEFAULT 'pending'
                          CHECK (status IN ('pending', 'sent', 'failed', 'canceled')),
        source_event_id   uuid,
        created_at        timestamptz NOT NULL DEFAULT now(),
        updated_at        timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX notifications_due ON notifications (scheduled_time) WHERE status = 'pending';
      CREATE INDEX notifications_by_member ON notifications (member_id, scheduled_time DESC, id);
      CREATE INDEX notifications_by_recipient ON notifications (recipient_id, scheduled_time DESC, id);
      CREATE INDEX notifications_by_class ON notifications (event_id, notification_type) WHERE status = 'pending';

      -- One row per channel a notification goes out on; what the dispatcher claims with a lease.
      CREATE TABLE notification_deliveries (
        notification_id uuid NOT NULL REFERENCES notifications (id),
        channel         text NOT NULL CHECK (channel IN ('email', 'sms', 'in_app')),
        status          text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
        attempts        integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL,
        lease_until     timestamptz,
        message_id      text NOT NULL,
        last_error      text,
        sent_at         timestamptz,
        updated_at      timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (notification_id, channel)
      );
      CREATE INDEX notification_deliveries_due ON notification_deliveries (next_attempt_at)
        WHERE status = 'pending';

      CREATE TABLE notification_preferences (
        user_id     uuid PRIMARY KEY,
        email       boolean NOT NULL DEFAULT true,
        sms         boolean NOT NULL DEFAULT false,
        in_app      boolean NOT NULL DEFAULT true,
        quiet_start integer CHECK (quiet_start BETWEEN 0 AND 1439),
        quiet_end   integer CHECK (quiet_end BETWEEN 0 AND 1439),
        timezone    text,
        updated_at  timestamptz NOT NULL DEFAULT now()
      );

      CREATE TABLE webhook_subscriptions (
        id          uuid PRIMARY KEY,
        society_id  uuid NOT NULL,
        url         text NOT NULL,
        event_types text[] NOT NULL,
        secret      text NOT NULL,
        active      boolean NOT NULL DEFAULT true,
        created_by  uuid NOT NULL,
        created_at  timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX webhook_subscriptions_by_society ON webhook_subscriptions (society_id) WHERE active;

      CREATE TABLE webhook_deliveries (
        id               uuid PRIMARY KEY,
        subscription_id  uuid NOT NULL REFERENCES webhook_subscriptions (id),
        event_id         uuid NOT NULL,
        event_type       text NOT NULL,
        payload          jsonb NOT NULL,
        status           text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
        attempts         integer NOT NULL DEFAULT 0,
        next_attempt_at  timestamptz NOT NULL,
        lease_until      timestamptz,
        last_status_code integer,
        last_error       text,
        delivered_at     timestamptz,
        created_at       timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';
      CREATE INDEX webhook_deliveries_by_subscription ON webhook_deliveries (subscription_id, created_at DESC);

      -- The scheduler: attempts per run, why it failed, and a stop request any instance can see.
      ALTER TABLE job_runs
        ADD COLUMN attempts integer NOT NULL DEFAULT 1,
        ADD COLUMN error text,
        ADD COLUMN stop_requested_at timestamptz,
        ADD COLUMN scheduled_for timestamptz,
        DROP CONSTRAINT job_runs_outcome_check,
        ADD CONSTRAINT job_runs_outcome_check CHECK (outcome IN ('running', 'succeeded', 'failed', 'stopped'));

      -- A cron tick is run by one instance: whoever records it first (others' inserts conflict).
      CREATE UNIQUE INDEX job_runs_one_per_tick ON job_runs (job, scheduled_for) WHERE scheduled_for IS NOT NULL;

      -- Expressions set through POST /api/v1/cron-schedule; they win over the job's default and CRON_<TASK>.
      CREATE TABLE cron_schedules (
        task            text PRIMARY KEY,
        cron_expression text NOT NULL,
        updated_by      uuid,
        updated_at      timestamptz NOT NULL DEFAULT now()
      );
    `);
  },
  async down(knex) {
    await knex.raw(`
      DROP TABLE cron_schedules, webhook_deliveries, webhook_subscriptions, notification_preferences,
        notification_deliveries, notifications;
      ALTER TABLE job_runs DROP COLUMN attempts, DROP COLUMN error, DROP COLUMN stop_requested_at, DROP COLUMN scheduled_for,
        DROP CONSTRAINT job_runs_outcome_check,
        ADD CONSTRAINT job_runs_outcome_check CHECK (outcome IN ('running', 'succeeded', 'failed'));
    `);
  },
};
