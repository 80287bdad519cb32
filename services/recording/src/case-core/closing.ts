import { decisionStillBinds } from './case-course';
import type { CourseFacts } from './course-facts';
import { RecordingError } from './recording.error';

/**
 * The fixed reasons a case may close for without every period settled (结案情形), each with the statement that
 * explains it. From the penalty law (Art. 57: no penalty; transfer to the judiciary, Art. 27, 57) and the usual
 * closing conditions of the procedure rules (执行完毕, 终结执行, 终止调查, 移送其他机关).
 */
export const CLOSING_REASONS = {
  'no-penalty': { label: '不予行政处罚', undecided: true, decided: false },
  'transferred-to-judiciary': { label: '涉嫌犯罪移送司法机关', undecided: true, decided: true },
  'transferred-to-other-authority': { label: '移送其他有管辖权的机关', undecided: true, decided: false },
  'investigation-terminated': { label: '终止调查', undecided: true, decided: false },
  'execution-completed': { label: '执行完毕', undecided: false, decided: true },
  'execution-ended': { label: '终结执行', undecided: false, decided: true },
  'decision-revoked': { label: '处罚决定被撤销或确认无效', undecided: false, decided: true },
} as const satisfies Record<string, { label: string; undecided: boolean; decided: boolean }>;
export type ClosingReason = keyof typeof CLOSING_REASONS;

export function isClosingReason(value: unknown): value is ClosingReason {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(CLOSING_REASONS, value);
}

/** What may keep a case from closing (the periods and duties of Art. 60-67 not settled yet). */
export type Unsettled = 'decision' | 'hearing' | 'legal-review' | 'suspension' | 'service' | 'payment' | 'execution';

/** Penalties carried out by the decision itself once it is known to the party: nothing more to execute. */
const SELF_EXECUTING: ReadonlySet<string> = new Set(['warning', 'criticism']);

/**
 * What is still open in the case: a requested hearing not held (Art. 64), a legal review not concluded
 * (Art. 58), a suspension not lifted, no decision; after the decision, the service of a decision the party did
 * not receive on the spot (Art. 61), the payment of its fine (Art. 67) and the execution of its other penalties
 * (Art. 66). A decision revoked or confirmed void leaves nothing to serve, pay or execute.
 */
export function unsettledOf(facts: CourseFacts): Unsettled[] {
  const { course } = facts;
  const unsettled: Unsettled[] = [];
  if (facts.hearingRequestedAt !== null && !(facts.latestHearingAt !== null && facts.latestHearingAt >= facts.hearingRequestedAt)) {
    unsettled.push('hearing');
  }
  if (['required', 'requested', 'returned'].includes(facts.legalReviewStatus)) unsettled.push('legal-review');
  if (course.suspendedSince !== null) unsettled.push('suspension');
  const decision = course.decision;
  if (!decision) return [...unsettled, 'decision'];
  if (!decisionStillBinds(decision.standing)) return unsettled;
  if (!decision.partyPresent && !course.served) unsettled.push('service');
  if (BigInt(decision.fineFen) > 0n && !course.finePaid) unsettled.push('payment');
  const executable = decision.penalties.some((penalty) => penalty.kind !== 'fine' && !SELF_EXECUTING.has(penalty.kind));
  if (executable && !course.executed) unsettled.push('execution');
  return unsettled;
}

/**
 * Art. 47 and the archive rules: a case closes (结案) when everything is settled, or for one of the fixed
 * CLOSING_REASONS with a statement of why (`fields.closingReason`, `fields.statement`). A reason that does not
 * fit the case (execution completed in a case never decided, no penalty after a decision) is refused.
 */
export function checkClosing(facts: CourseFacts, fields: Record<string, unknown>): void {
  const reason = fields['closingReason'];
  const decided = facts.course.decision !== null;
  if (reason === undefined) {
    const unsettled = unsettledOf(facts);
    if (unsettled.length === 0) return;
    if (!decided) {
      throw new RecordingError('CLOSING_REASON_REQUIRED', '未作出处罚决定的案件结案须说明结案情形及理由', 'invalid', {
        article: '《行政处罚法》第五十七条',
        details: { unsettled, reasons: Object.keys(CLOSING_REASONS) },
      });
    }
    throw new RecordingError('CLOSING_PERIODS_UNSETTLED', '案件尚有未了结的程序或期限（送达、缴纳罚款、执行等），不能结案', 'refused', {
      article: '《行政处罚法》第四十七条',
      details: { unsettled, reasons: Object.keys(CLOSING_REASONS) },
    });
  }
  if (!isClosingReason(reason)) {
    throw new RecordingError('CLOSING_REASON_UNKNOWN', '结案情形不在规定的范围内', 'invalid', {
      article: '《行政处罚法》第四十七条',
      details: { reasons: Object.keys(CLOSING_REASONS) },
    });
  }
  const statement = fields['statement'];
  if (typeof statement !== 'string' || statement.trim().length < 2) {
    throw new RecordingError('CLOSING_STATEMENT_REQUIRED', '以该情形结案须书面说明理由', 'invalid', {
      article: '《行政处罚法》第四十七条',
    });
  }
  const applies = CLOSING_REASONS[reason];
  const revokedOnly = reason === 'decision-revoked' && !(facts.course.decision && !decisionStillBinds(facts.course.decision.standing));
  if ((decided ? !applies.decided : !applies.undecided) || revokedOnly) {
    throw new RecordingError('CLOSING_REASON_NOT_APPLICABLE', `本案不能以"${applies.label}"结案`, 'refused', {
      article: '《行政处罚法》第四十七条',
      details: { closingReason: reason, decided },
    });
  }
}
