/**
 * What one planning request may ask of the solver. Anyone can become a society admin (create a
 * society), so these bound what any caller can make this server do.
 *
 * The natural size of a week is its candidate (class, trainer) pairs: one MIP column each, and the
 * clash rows grow with them. The 400-template week of the schedule benchmark (40 societies, 60
 * trainers) has 4–8 thousand and solves to optimality in 3–7 s; at ~9 thousand (800 templates) the
 * solve already takes ~16 s and its LP text runs to megabytes, so past 10 000 a plan would mostly be
 * the time limit's best guess anyway.
 */
export const MAX_TIME_LIMIT_SECONDS = 30;
export const MAX_CANDIDATE_PAIRS = 10_000;
