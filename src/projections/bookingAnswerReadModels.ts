/**
 * The read models a booking's answer is built from, and the only ones it waits for
 * (bookingRoutes.ts): the booking's row and the class's seats. Other reads still honour the
 * answer's position through `?min_position=`. Why only these: measured on the hot class, waiting
 * for the slowest read model (notifications, which renders messages) tripled the p99. The
 * projection engine commits these read models' share of each live batch in a transaction of
 * their own (fanOut.ts), so the answer does not wait for the others' work either.
 */
export const BOOKING_ANSWER_READ_MODELS: readonly string[] = ['bookings', 'classes'];
