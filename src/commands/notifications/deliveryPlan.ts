import { inZone } from '../../events/zonedTime';
import type { NotificationChannel, NotificationType } from '../../events/notifications/notificationEvents';

/** A person's choices; absent → email and in-app on, SMS off, no quiet hours. */
export interface ChannelPreferences {
  readonly email: boolean;
  readonly sms: boolean;
  readonly inApp: boolean;
  /** Minutes since midnight, local to `timezone`; the window may wrap midnight (22:00–07:00). */
  readonly quietHours: { readonly start: number; readonly end: number; readonly timezone: string } | null;
}

export const DEFAULT_PREFERENCES: ChannelPreferences = {
  email: true,
  sms: false,
  inApp: true,
  quietHours: null,
};

export interface DeliveryTarget {
  readonly type: NotificationType;
  readonly userId: string | null;
  readonly email: string | null;
  readonly phoneNumber: string | null;
}

export interface PlannedDelivery {
  readonly channel: NotificationChannel;
  readonly notBefore: Date;
}

/** Minutes since midnight of `instant` on the wall clock of `timezone`. */
const localMinutes = (instant: Date, timezone: string): number => {
  const local = inZone(instant, timezone);
  return local.getHours() * 60 + local.getMinutes();
};

/**
 * When quiet hours hold at `now`, the instant they end; otherwise undefined. Computed by minutes
 * elapsed rather than by building a local date, so a DST change inside the window shifts the end
 * by at most that hour rather than breaking it.
 */
export const quietHoursEnd = (
  now: Date,
  quiet: NonNullable<ChannelPreferences['quietHours']>,
): Date | undefined => {
  if (quiet.start === quiet.end) return undefined;
  const minute = localMinutes(now, quiet.timezone);
  const inside =
    quiet.start < quiet.end
      ? minute >= quiet.start && minute < quiet.end
      : minute >= quiet.start || minute < quiet.end;
  if (!inside) return undefined;
  const minutesLeft = (quiet.end - minute + 1440) % 1440;
  const startOfMinute = Math.floor(now.getTime() / 60_000) * 60_000;
  return new Date(startOfMinute + minutesLeft * 60_000);
};

/**
 * The channels a due notification goes out on, and from when. A code to verify a phone goes by
 * SMS whatever the preferences say (it is what was asked for). Quiet hours hold back email and
 * SMS, never the in-app inbox. Someone with no channel left still gets the in-app copy when they
 * have an account; with neither account nor address, nothing can be sent (empty plan).
 */
export const planDeliveries = (
  target: DeliveryTarget,
  preferences: ChannelPreferences,
  now: Date,
): PlannedDelivery[] => {
  if (target.type === 'phone_verification') {
    return target.phoneNumber ? [{ channel: 'sms', notBefore: now }] : [];
  }
  const held = preferences.quietHours ? (quietHoursEnd(now, preferences.quietHours) ?? now) : now;
  const plan: PlannedDelivery[] = [];
  if (target.userId && preferences.inApp) plan.push({ channel: 'in_app', notBefore: now });
  if (target.email && preferences.email) plan.push({ channel: 'email', notBefore: held });
  if (target.phoneNumber && preferences.sms) plan.push({ channel: 'sms', notBefore: held });
  if (!plan.length && target.userId) plan.push({ channel: 'in_app', notBefore: now });
  return plan;
};

export const MAX_ATTEMPTS = 3;

/** After a failed attempt: try again after base × 2^(attempts-1), or give up at MAX_ATTEMPTS. */
export const afterFailure = (
  attempts: number,
  now: Date,
  baseDelayMs: number,
  maxAttempts = MAX_ATTEMPTS,
): { giveUp: true } | { giveUp: false; retryAt: Date } =>
  attempts >= maxAttempts
    ? { giveUp: true }
    : { giveUp: false, retryAt: new Date(now.getTime() + baseDelayMs * 2 ** (attempts - 1)) };
