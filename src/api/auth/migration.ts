import type { Knex } from 'knex';

/**
 * Sessions, one-time codes and login throttling are operational state, not business facts:
 * plain tables, changed with conditional updates so concurrent requests cannot both win.
 * `notification_outbox` is where outgoing messages wait for the dispatcher (SMS codes today).
 */
export const identityMigration: Knex.Migration = {
  async up(knex) {
    await knex.raw(`
      CREATE TABLE refresh_tokens (
        token_hash text PRIMARY KEY,
        family_id  uuid NOT NULL,
        user_id    uuid NOT NULL,
        issued_at  timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        used_at    timestamptz,
        revoked_at timestamptz
      );
      CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);

      CREATE TABLE phone_otps (
        user_id      uuid PRIMARY KEY,
        phone_number text NOT NULL,
        code_hash    text NOT NULL,
        expires_at   timestamptz NOT NULL,
        attempts     integer NOT NULL DEFAULT 0,
        created_at   timestamptz NOT NULL DEFAULT now()
      );

      CREATE TABLE login_throttle (
        account_key   text PRIMARY KEY,
        failures      integer NOT NULL,
        blocked_until timestamptz,
        updated_at    timestamptz NOT NULL DEFAULT now()
      );

      CREATE TABLE notification_outbox (
        id           uuid PRIMARY KEY,
        channel      text NOT NULL CHECK (channel IN ('email', 'sms', 'in_app')),
        recipient    text NOT NULL,
        subject      text,
        body         text NOT NULL,
        status       text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
        scheduled_at timestamptz NOT NULL DEFAULT now(),
        created_at   timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX notification_outbox_due ON notification_outbox (status, scheduled_at);
    `);
  },
  async down(knex) {
    await knex.raw('DROP TABLE refresh_tokens, phone_otps, login_throttle, notification_outbox');
  },
};
