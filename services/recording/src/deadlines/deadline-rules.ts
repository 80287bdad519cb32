import type { PeriodEnd, WorkingDayCalendar } from '@enforcement/calendar';

export const DEADLINE_KINDS = ['decision-90d', 'evidence-hold-7wd', 'hearing-request-5wd', 'service-7wd', 'payment-15d'] as const;
export type DeadlineKind = (typeof DEADLINE_KINDS)[number];

/**
 * open: running; satisfied: met (or ended by the closing); lapsed: the party's window ended unused; suspended: the
 * case is suspended and the period stands still (Art. 60); cancelled: what it was for is gone (the decision was
 * revoked or confirmed void, Art. 48).
 */
export const DEADLINE_STATUSES = ['open', 'satisfied', 'lapsed', 'suspended', 'cancelled'] as const;
export type DeadlineStatus = (typeof DEADLINE_STATUSES)[number];

export interface DeadlineRule {
  kind: DeadlineKind;
  days: number;
  /** Art. 85: the law's 2, 3, 5 and 7 day periods are working days; its longer ones are calendar days. */
  unit: 'working-days' | 'calendar-days';
  /**
   * The party's own window rather than a duty: when it ends it lapses, which is nobody's failure, and it is
   * never listed as overdue.
   */
  informational: boolean;
  article: string;
  description: string;
}

export const DEADLINE_RULES: Readonly<Record<DeadlineKind, DeadlineRule>> = {
  'decision-90d': {
    kind: 'decision-90d',
    days: 90,
    unit: 'calendar-days',
    informational: false,
    article: '《行政处罚法》第六十条',
    description: '自立案之日起九十日内作出行政处罚决定',
  },
  'evidence-hold-7wd': {
    kind: 'evidence-hold-7wd',
    days: 7,
    unit: 'working-days',
    informational: false,
    article: '《行政处罚法》第五十六条、第八十五条',
    description: '先行登记保存的证据，七个工作日内及时作出处理决定',
  },
  'hearing-request-5wd': {
    kind: 'hearing-request-5wd',
    days: 5,
    unit: 'working-days',
    informational: true,
    article: '《行政处罚法》第六十四条、第八十五条',
    description: '当事人在行政机关告知后五个工作日内提出听证要求',
  },
  'service-7wd': {
    kind: 'service-7wd',
    days: 7,
    unit: 'working-days',
    informational: false,
    article: '《行政处罚法》第六十一条、第八十五条',
    description: '当事人不在场的，七个工作日内送达行政处罚决定书',
  },
  'payment-15d': {
    kind: 'payment-15d',
    days: 15,
    unit: 'calendar-days',
    informational: false,
    // The 15 days are in Art. 67 para. 3 of the 2021 law (Art. 66 obliges the party to perform in time).
    article: '《行政处罚法》第六十六条、第六十七条第三款',
    description: '当事人自收到行政处罚决定书之日起十五日内缴纳罚款',
  },
};

/** The kinds an agency (or the party, for payment) must meet: what supervisors watch. */
export const DUTY_KINDS: readonly DeadlineKind[] = DEADLINE_KINDS.filter((kind) => !DEADLINE_RULES[kind].informational);
export const WORKING_DAY_KINDS: readonly DeadlineKind[] = DEADLINE_KINDS.filter((kind) => DEADLINE_RULES[kind].unit === 'working-days');

export function isDeadlineKind(kind: string): kind is DeadlineKind {
  return (DEADLINE_KINDS as readonly string[]).includes(kind);
}

/** The agency head may extend the decision period by this many days where the agency set no length of its own (Art. 60). */
export const DEFAULT_DECISION_EXTENSION_DAYS = 30;

/**
 * The end of the period a step at `startsAt` starts, counted by the rule's unit, `extraDays` longer (an extension,
 * days suspended). Working-day periods count working days (Art. 85); a calendar-day period whose last day is a rest
 * day ends on the next working day (民法典 Art. 203), so both depend on the holiday calendar.
 */
export function periodEnd(kind: DeadlineKind, startsAt: Date, calendar: WorkingDayCalendar, extraDays = 0): PeriodEnd {
  const rule = DEADLINE_RULES[kind];
  const days = rule.days + extraDays;
  return rule.unit === 'working-days' ? calendar.addWorkingDays(startsAt, days) : calendar.addCalendarDaysToWorkingDay(startsAt, days);
}
