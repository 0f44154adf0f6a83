/**
 * A column after a partial change: the change's value when the fact carries one (an explicit
 * `null` included: it clears the column), the current value when it is absent.
 */
export const changed = <T>(change: T | undefined, current: T): T => (change === undefined ? current : change);
