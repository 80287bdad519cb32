/** The current instant, injectable so that tests can fix "now" for lists that depend on it. */
export type DeadlineClock = () => Date;

/** Optional provider; without it the system clock is used. */
export const DEADLINE_CLOCK = Symbol('DEADLINE_CLOCK');
