/**
 * One documented request/response pair of the functional design, as our users' client developers
 * read it: what they send (from which role) and what they may rely on in the answer.
 */
export type Role = 'anonymous' | 'member' | 'trainer' | 'society_admin' | 'super_admin';

/** A JSON type name, or alternatives joined by `|` (e.g. 'string|null'). */
export type JsonType = string;

/** A field's expected type; objects and arrays nest (an array's shape describes its first element). */
export type Shape = JsonType | ShapeObject | [Shape];
export interface ShapeObject {
  [field: string]: Shape;
}

/**
 * What has to exist before the request makes sense. The member (and the `member` role's token)
 * is fresh for every example, so examples never interfere with one another.
 */
export interface Given {
  /** The example's member: approved with a paid plan (default), approved only, pending, or subscribed but unpaid. */
  member?: 'active' | 'approved' | 'pending' | 'awaiting-payment';
  /** The password the example's member signs up with (for login examples that quote one). */
  memberPassword?: string;
  /** The price of the plan behind {subscription_id} (default '100.00'). */
  planPrice?: string;
  /** The example's class ({event_id}) is taught by the world's trainer. */
  trainerAssigned?: boolean;
  /** The member holds a confirmed booking ({booking_id}) on {event_id}. */
  booking?: boolean;
  /** {event_id} is full and the member waits on its waitlist. */
  waitlisted?: boolean;
  /** {event_id} has one activity ({activity_id}). */
  activity?: boolean;
  /** A reminder for the member about {event_id} ({notification_id}). */
  notification?: boolean;
  /** A run of schedule_generation is in progress ({task_id}). */
  runningJob?: boolean;
}

export interface ContractExample {
  /** Unique, stable: the key of knownGaps. */
  name: string;
  /** Which part of the design documents it, in our words. */
  section: string;
  role: Role;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Under /api/v1, with {placeholders}. */
  path: string;
  /** The documented body; ids, emails, dates and phones are {placeholders}. */
  body?: unknown;
  /** The documented status, or any 2xx where the design states none. */
  expectedStatus: number | '2xx';
  responseShape: Shape;
  given?: Given;
}
