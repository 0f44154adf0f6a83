-- The booking subset of ArcFit Roster as ordinary rows, for bench/compare: seats, the waitlist and
-- the weekly limit are columns changed in place, one transaction per booking (bench/crud/booking.ts).

CREATE TABLE IF NOT EXISTS users (
  id         uuid PRIMARY KEY,
  role       text NOT NULL CHECK (role IN ('member', 'society_admin', 'super_admin')),
  status     text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'inactive')),
  society_id uuid -- a member's own society
);

CREATE TABLE IF NOT EXISTS societies (
  id                          uuid PRIMARY KEY,
  name                        text NOT NULL UNIQUE,
  location                    text NOT NULL,
  timezone                    text NOT NULL DEFAULT 'Asia/Kolkata',
  max_members_per_event       int  NOT NULL,
  capacity                    int  NOT NULL,
  weekly_booking_limit        int  NOT NULL DEFAULT 5,
  cancellation_cutoff_minutes int  NOT NULL DEFAULT 60,
  created_at                  timestamptz NOT NULL DEFAULT clock_timestamp()
);

CREATE TABLE IF NOT EXISTS society_admins (
  user_id    uuid NOT NULL REFERENCES users,
  society_id uuid NOT NULL REFERENCES societies,
  PRIMARY KEY (user_id, society_id)
);

CREATE TABLE IF NOT EXISTS members (
  id         uuid PRIMARY KEY,
  society_id uuid NOT NULL REFERENCES societies,
  name       text NOT NULL,
  status     text NOT NULL CHECK (status IN ('pending', 'approved', 'rejected')),
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS subscriptions (
  id           uuid PRIMARY KEY,
  member_id    uuid NOT NULL REFERENCES members,
  status       text NOT NULL CHECK (status IN ('awaiting_payment', 'active', 'expired')),
  active_until timestamptz
);
CREATE INDEX IF NOT EXISTS subscriptions_by_member ON subscriptions (member_id);

CREATE TABLE IF NOT EXISTS classes (
  id          uuid PRIMARY KEY,
  society_id  uuid NOT NULL REFERENCES societies,
  name        text NOT NULL,
  class_type  text NOT NULL,
  trainer_id  uuid,
  location    text,
  timezone    text NOT NULL,
  -- Wall-clock minutes in the society's zone: what the answer's start_time/end_time show.
  start_minute int NOT NULL,
  end_minute   int NOT NULL,
  cancel_reason text,
  local_date  date NOT NULL,
  starts_at   timestamptz NOT NULL,
  ends_at     timestamptz NOT NULL,
  iso_week    text NOT NULL,
  max_members int  NOT NULL CHECK (max_members > 0),
  confirmed   int  NOT NULL DEFAULT 0,
  waitlisted  int  NOT NULL DEFAULT 0,
  status      text NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled', 'canceled')),
  version     int  NOT NULL DEFAULT 1,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS classes_by_society_start ON classes (society_id, starts_at, id);

CREATE TABLE IF NOT EXISTS bookings (
  id                uuid PRIMARY KEY,
  member_id         uuid NOT NULL REFERENCES members,
  class_id          uuid NOT NULL REFERENCES classes,
  status            text NOT NULL CHECK (status IN ('confirmed', 'waitlist', 'canceled')),
  waitlist_position int CHECK ((status = 'waitlist') = (waitlist_position IS NOT NULL)),
  iso_week          text NOT NULL,
  booked_by         uuid,
  idempotency_key   text UNIQUE,
  booked_at         timestamptz NOT NULL DEFAULT clock_timestamp(),
  canceled_at       timestamptz,
  updated_at        timestamptz NOT NULL DEFAULT now()
);
-- The row locks already keep one live booking per member and class; this index is the backstop.
CREATE UNIQUE INDEX IF NOT EXISTS bookings_one_live ON bookings (member_id, class_id) WHERE status <> 'canceled';
CREATE INDEX IF NOT EXISTS bookings_by_member ON bookings (member_id, booked_at DESC, id DESC);
CREATE INDEX IF NOT EXISTS bookings_waitlist ON bookings (class_id, waitlist_position) WHERE status = 'waitlist';

-- Live bookings per member and ISO week: the weekly limit, and the row that serialises one member's bookings.
CREATE TABLE IF NOT EXISTS member_weeks (
  member_id uuid NOT NULL REFERENCES members,
  iso_week  text NOT NULL,
  live      int  NOT NULL CHECK (live >= 0),
  PRIMARY KEY (member_id, iso_week)
);
