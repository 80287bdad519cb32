import { courseFactsOf, type CourseFacts } from './course-facts';
import { checkExtension, checkExtensionApproval, EXTENSION_APPROVAL_STEP, foldPendingExtension } from './decision-period';
import { procedureStateOf, type FoldedStep } from './procedure-state';
import { RecordingError } from './recording.error';
import { STEP_TYPES } from './step-types';

const REASON = { reason: '案情复杂，需等待检验结论' };

const folded = (id: string, stepType: string, fields: Record<string, unknown> = {}, actingOfficerIds = ['o1', 'o2']): FoldedStep => ({
  id,
  stepType,
  occurredAt: new Date('2026-03-10T01:00:00Z'),
  actingOfficerIds,
  fields,
});
const approval = (id: string, extensionRecordId: string, approver = 'head') =>
  folded(id, EXTENSION_APPROVAL_STEP, { extensionRecordId, approverRole: 'agency-head' }, [approver]);

/** The course facts of a record, as the procedure gates read them off the case's procedure state. */
function factsOf(steps: FoldedStep[], status: CourseFacts['status'] = 'open'): CourseFacts {
  return courseFactsOf({ status, legalReviewStatus: 'not-required', state: procedureStateOf('organisation', steps) });
}

function codeOf(work: () => unknown): string | undefined {
  try {
    work();
  } catch (error) {
    if (error instanceof RecordingError) return error.code;
    throw error;
  }
  return undefined;
}

describe('decision period extension: the officers request, the agency head approves (Art. 60)', () => {
  it('takes a reasoned request, and refuses an approver named in it rather than believing it', () => {
    expect(codeOf(() => checkExtension(factsOf([]), REASON))).toBeUndefined();
    expect(codeOf(() => checkExtension(factsOf([]), { reason: ' ' }))).toBe('EXTENSION_REASON_REQUIRED');
    expect(codeOf(() => checkExtension(factsOf([]), { ...REASON, approvedBy: '局长 王某' }))).toBe('EXTENSION_APPROVER_NOT_A_FIELD');
    // Not even an empty one: the field is no longer part of the request.
    expect(codeOf(() => checkExtension(factsOf([]), { ...REASON, approvedBy: '' }))).toBe('EXTENSION_APPROVER_NOT_A_FIELD');
  });

  it('does not extend on the request: the period is extended only once the head approves', () => {
    const requested = procedureStateOf('organisation', [folded('x1', 'decision-period-extension', REASON)]);
    expect(requested.course?.decisionPeriodExtended).toBe(false);
    expect(requested.pendingDecisionPeriodExtension).toEqual({ recordId: 'x1', officerIds: ['o1', 'o2'] });

    const approved = procedureStateOf('organisation', [folded('x1', 'decision-period-extension', REASON), approval('x2', 'x1')]);
    expect(approved.course?.decisionPeriodExtended).toBe(true);
    expect(approved).not.toHaveProperty('pendingDecisionPeriodExtension');
  });

  it('refuses a second request while one waits, and any request once extended', () => {
    const pending = factsOf([folded('x1', 'decision-period-extension', REASON)]);
    expect(codeOf(() => checkExtension(pending, REASON))).toBe('EXTENSION_ALREADY_PENDING');
    const extended = factsOf([folded('x1', 'decision-period-extension', REASON), approval('x2', 'x1')]);
    expect(codeOf(() => checkExtension(extended, REASON))).toBe('DECISION_PERIOD_ALREADY_EXTENDED');
  });

  it('approves the pending request only, before the decision, while the case is open', () => {
    const request = folded('x1', 'decision-period-extension', REASON);
    expect(checkExtensionApproval(factsOf([request]), 'head')).toEqual({ recordId: 'x1', officerIds: ['o1', 'o2'] });
    expect(codeOf(() => checkExtensionApproval(factsOf([]), 'head'))).toBe('EXTENSION_NOT_PENDING');
    expect(codeOf(() => checkExtensionApproval(factsOf([request, approval('x2', 'x1')]), 'head'))).toBe('EXTENSION_NOT_PENDING');
    const decided = factsOf([request, folded('d1', 'decision', { penalties: [{ kind: 'warning' }] })], 'decided');
    expect(codeOf(() => checkExtensionApproval(decided, 'head'))).toBe('DECISION_EXISTS');
    expect(codeOf(() => checkExtensionApproval(factsOf([request], 'closed'), 'head'))).toBe('CASE_CLOSED');
  });

  it('lets no officer who requested it approve it: neither the one who recorded it nor those who acted with them', () => {
    const facts = factsOf([folded('x1', 'decision-period-extension', REASON, ['o1', 'o2'])]);
    expect(codeOf(() => checkExtensionApproval(facts, 'o1'))).toBe('EXTENSION_SELF_APPROVAL');
    expect(codeOf(() => checkExtensionApproval(facts, 'o2'))).toBe('EXTENSION_SELF_APPROVAL');
  });

  it('counts an extension recorded before approvals had their own record (approvedBy in the step) as made', () => {
    // Its deadline was extended when it was recorded: folded anew, it must not leave room for a second extension.
    const legacy = [folded('x1', 'decision-period-extension', { approvedBy: '局长 王某', ...REASON })];
    const state = procedureStateOf('organisation', legacy);
    expect(state.course?.decisionPeriodExtended).toBe(true);
    expect(state).not.toHaveProperty('pendingDecisionPeriodExtension');
    expect(codeOf(() => checkExtension(factsOf(legacy), REASON))).toBe('DECISION_PERIOD_ALREADY_EXTENDED');
  });

  it('names the approval within the records’ step_type column (32 characters), like every step type', () => {
    expect(STEP_TYPES.filter((stepType) => stepType.length > 32)).toEqual([]);
    expect(STEP_TYPES).toContain(EXTENSION_APPROVAL_STEP);
  });

  it('keeps the pending request through the steps that are not about it', () => {
    const pending = { recordId: 'x1', officerIds: ['o1'] };
    expect(foldPendingExtension(pending, folded('i1', 'inquiry'))).toBe(pending);
    expect(foldPendingExtension(undefined, folded('i1', 'inquiry'))).toBeUndefined();
    expect(foldPendingExtension(pending, approval('x2', 'x1'))).toBeUndefined();
  });

  it('ends a request still waiting when the case is decided or closed: it can no longer be granted', () => {
    const pending = { recordId: 'x1', officerIds: ['o1'] };
    expect(foldPendingExtension(pending, folded('d1', 'decision'))).toBeUndefined();
    expect(foldPendingExtension(pending, folded('c1', 'closing'))).toBeUndefined();
  });
});
