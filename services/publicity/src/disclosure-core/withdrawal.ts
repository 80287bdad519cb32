import type { PeriodEnd, WorkingDayCalendar } from '@enforcement/calendar';
import { ARTICLES, PublicityError } from './publicity.error';

/** Art. 48: the ways a published decision stops standing. */
export type AlterationKind = 'changed' | 'revoked' | 'confirmed-illegal' | 'confirmed-void';

/** Art. 48 para. 2: within 3 days (working days, Art. 85) of the decision being changed, revoked or confirmed. */
export const WITHDRAWAL_WORKING_DAYS = 3;

/** The public reason shown in the place of a withdrawn decision, before the agency's own words. */
export const ALTERATION_REASONS: Readonly<Record<AlterationKind, string>> = {
  changed: '该行政处罚决定已被变更',
  revoked: '该行政处罚决定已被撤销',
  'confirmed-illegal': '该行政处罚决定已被确认违法',
  'confirmed-void': '该行政处罚决定已被确认无效',
};

/** The end of the withdrawal period: 3 working days after the alteration (Art. 48, Art. 85). */
export function withdrawalDueAt(calendar: WorkingDayCalendar, alteredAt: Date): PeriodEnd {
  return calendar.addWorkingDays(alteredAt, WITHDRAWAL_WORKING_DAYS);
}

/**
 * The reason made public in the decision's place (Art. 48: 并应当公开说明理由). The alteration kind is always
 * stated; the agency's text follows when it gave one. The reason is public, so it goes through redaction before.
 */
export function publicWithdrawalReason(kind: AlterationKind, agencyReason: string): string {
  if (!(kind in ALTERATION_REASONS)) {
    throw new PublicityError('ALTERATION_KIND_INVALID', '决定变更的类型无效', 'invalid', { article: ARTICLES.art48 });
  }
  const stated = agencyReason.trim();
  return stated ? `${ALTERATION_REASONS[kind]}：${stated}` : `${ALTERATION_REASONS[kind]}。`;
}
