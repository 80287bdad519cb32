import type { CourseFacts } from './course-facts';
import { RecordingError } from './recording.error';

const ARTICLE_60 = '《行政处罚法》第六十条';

function text(value: unknown): boolean {
  return typeof value === 'string' && value.trim().length >= 2;
}

/**
 * Art. 60: the decision period (90 days from opening, the deadlines' `decision-90d`) may be extended once, with
 * the approval of the agency's head (负责人批准) recorded in its own step: who approved (`fields.approvedBy`) and
 * why (`fields.reason`). The length is the agency's (DeadlineSettingsService), not the step's. Only before the decision.
 */
export function checkExtension(facts: CourseFacts, fields: Record<string, unknown>): void {
  if (facts.course.decision)
    throw new RecordingError('DECISION_EXISTS', '本案已作出处罚决定，无需延长办案期限', 'conflict', { article: ARTICLE_60 });
  if (!text(fields['approvedBy']) || !text(fields['reason'])) {
    throw new RecordingError('EXTENSION_APPROVAL_REQUIRED', '延长办案期限须载明批准的机关负责人及延长理由', 'invalid', {
      article: ARTICLE_60,
    });
  }
  if (facts.course.decisionPeriodExtended) {
    throw new RecordingError('DECISION_PERIOD_ALREADY_EXTENDED', '办案期限已经延长过，不能再次延长', 'conflict', { article: ARTICLE_60 });
  }
}

/**
 * Suspension (中止) stops the decision period until the case resumes (恢复): a party who cannot be found, an
 * expert opinion awaited, another case to be decided first. Only before the decision, with a reason, and not twice.
 */
export function checkSuspension(facts: CourseFacts, fields: Record<string, unknown>): void {
  if (facts.course.decision)
    throw new RecordingError('DECISION_EXISTS', '本案已作出处罚决定，不能中止办理', 'conflict', { article: ARTICLE_60 });
  if (facts.course.suspendedSince !== null) {
    throw new RecordingError('CASE_ALREADY_SUSPENDED', '案件已经中止办理', 'conflict', { article: ARTICLE_60 });
  }
  if (!text(fields['reason'])) {
    throw new RecordingError('SUSPENSION_REASON_REQUIRED', '中止案件办理须载明理由', 'invalid', { article: ARTICLE_60 });
  }
}

/** Resumption restarts the decision period where the suspension stopped it; it follows a suspension, never precedes it. */
export function checkResumption(facts: CourseFacts, occurredAt: Date): void {
  const since = facts.course.suspendedSince;
  if (since === null) throw new RecordingError('CASE_NOT_SUSPENDED', '案件未中止办理，无需恢复', 'conflict', { article: ARTICLE_60 });
  if (occurredAt.getTime() < new Date(since).getTime()) {
    throw new RecordingError('RESUMPTION_BEFORE_SUSPENSION', '恢复办理的时间不能早于中止的时间', 'invalid', { article: ARTICLE_60 });
  }
}

/** While the case is suspended nothing is decided: the period is stopped because the case cannot go on. */
export function checkNotSuspended(facts: CourseFacts): void {
  if (facts.course.suspendedSince !== null) {
    throw new RecordingError('CASE_SUSPENDED', '案件已中止办理，恢复办理后才能作出处罚决定', 'conflict', { article: ARTICLE_60 });
  }
}
