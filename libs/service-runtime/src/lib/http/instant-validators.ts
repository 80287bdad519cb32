import { ValidateBy, type ValidationOptions } from 'class-validator';

/** 1 October 1949, 00:00 in Beijing: no act of the People's Republic's administration can be older. */
export const EARLIEST_ADMINISTRATIVE_ACT = new Date('1949-09-30T16:00:00.000Z');

/** An ISO 8601 instant not before `earliest` (a typo such as 0206 for 2026 is refused, not recorded). */
export function IsInstantNotBefore(earliest: Date = EARLIEST_ADMINISTRATIVE_ACT, options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isInstantNotBefore',
      validator: {
        validate: (value: unknown) => typeof value === 'string' && Date.parse(value) >= earliest.getTime(),
        defaultMessage: (args) => `${args?.property ?? 'the time'} 不得早于 ${earliest.toISOString()}`,
      },
    },
    options,
  );
}
