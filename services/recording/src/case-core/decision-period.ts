import type { PendingExtension } from './case-course';
import type { CourseFacts } from './course-facts';
import { RecordingError } from './recording.error';

const ARTICLE_60 = '《行政处罚法》第六十条';

function text(value: unknown): boolean {
  return typeof value === 'string' && value.trim().length >= 2;
}

/** The agency head's approval of an extension, recorded through its own endpoint, never as an officer's step. */
export const EXTENSION_APPROVAL_STEP = 'decision-extension-approval';

/**
 * Art. 60: the decision period (90 days from opening, the deadlines' `decision-90d`) may be extended once, with
 * the approval of the agency's head (负责人批准). The officer's `decision-period-extension` step is the request, with
 * why (`fields.reason`); it names no approver, since the head approves in a record of its own (checkExtensionApproval).
 * The length is the agency's (DeadlineSettingsService), not the step's. Only before the decision, one at a time.
 */
export function checkExtension(facts: CourseFacts, fields: Record<string, unknown>): void {
  if (facts.course.decision)
    throw new RecordingError('DECISION_EXISTS', '本案已作出处罚决定，无需延长办案期限', 'conflict', { article: ARTICLE_60 });
  // A name typed by the officer is no approval: refused, so no client believes it extended the period.
  if (fields['approvedBy'] !== undefined) {
    throw new RecordingError(
      'EXTENSION_APPROVER_NOT_A_FIELD',
      '延长办案期限由机关负责人在其审批记录中批准，申请中不能填写批准人（approvedBy）',
      'invalid',
      { article: ARTICLE_60 },
    );
  }
  if (!text(fields['reason'])) {
    throw new RecordingError('EXTENSION_REASON_REQUIRED', '申请延长办案期限须载明理由', 'invalid', { article: ARTICLE_60 });
  }
  if (facts.course.decisionPeriodExtended) {
    throw new RecordingError('DECISION_PERIOD_ALREADY_EXTENDED', '办案期限已经延长过，不能再次延长', 'conflict', { article: ARTICLE_60 });
  }
  if (facts.pendingExtension) {
    throw new RecordingError('EXTENSION_ALREADY_PENDING', '已有延长办案期限的申请等待机关负责人批准', 'conflict', {
      article: ARTICLE_60,
      details: { recordId: facts.pendingExtension.recordId },
    });
  }
}

/**
 * The head's approval (the agency's administrator acts for the head): of the pending request, before the decision,
 * while the case is open, and never by an officer who requested it (nobody approves their own request).
 */
export function checkExtensionApproval(facts: CourseFacts, approverId: string): PendingExtension {
  if (facts.status === 'closed')
    throw new RecordingError('CASE_CLOSED', '案件已结案，不能再延长办案期限', 'conflict', { article: ARTICLE_60 });
  if (facts.course.decision)
    throw new RecordingError('DECISION_EXISTS', '本案已作出处罚决定，无需延长办案期限', 'conflict', { article: ARTICLE_60 });
  const pending = facts.pendingExtension;
  if (!pending) {
    throw new RecordingError('EXTENSION_NOT_PENDING', '本案没有待批准的延长办案期限申请', 'conflict', { article: ARTICLE_60 });
  }
  if (pending.officerIds.includes(approverId)) {
    throw new RecordingError('EXTENSION_SELF_APPROVAL', '申请延长办案期限的执法人员不能批准自己的申请', 'forbidden', {
      article: ARTICLE_60,
      details: { recordId: pending.recordId },
    });
  }
  return pending;
}

/**
 * The request waiting after `step`: a request starts one; the approval ends it, and so do the decision and the closing,
 * after which it can no longer be granted (undefined: none).
 */
export function foldPendingExtension(
  pending: PendingExtension | undefined,
  step: { id: string; stepType: string; actingOfficerIds: readonly string[]; fields: Record<string, unknown> },
): PendingExtension | undefined {
  if (step.stepType === EXTENSION_APPROVAL_STEP || step.stepType === 'decision' || step.stepType === 'closing') return undefined;
  // A request recorded before approvals had their own record named its approver and took effect at once (case-course.ts).
  if (step.stepType === 'decision-period-extension' && step.fields['approvedBy'] === undefined) {
    return { recordId: step.id, officerIds: [...step.actingOfficerIds] };
  }
  return pending;
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
