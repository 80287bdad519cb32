import { decisionStillBinds, type AlterationKind } from './case-course';
import type { CourseFacts } from './course-facts';
import { penaltiesIn } from './fines';
import { RecordingError } from './recording.error';

const ARTICLE_48 = '《行政处罚法》第四十八条';

/**
 * Fields that state what a decision imposes or how it stands. Only the notice (what is proposed), the steps that
 * weigh it before the decision (legal review, collective decision) and the decision itself carry them; a decision
 * is altered only through the alteration step (Art. 48), never restated by any other record.
 */
export const DECISION_FIELDS = ['penalties', 'fineAmountFen', 'decisionStanding', 'alterationKind'] as const;

/** Steps that may carry DECISION_FIELDS: what is proposed, weighed and decided before the decision exists. */
const CARRIES_PENALTIES: ReadonlySet<string> = new Set(['notice', 'legal-review', 'collective-decision', 'decision']);

/** A generic record or a correction restates nothing of a decision, not even its number. */
const GENERIC_STEPS: ReadonlySet<string> = new Set(['other', 'correction']);

/** Record types that state a decision: not corrected by a correction record, only altered (Art. 48). */
const DECISION_RECORDS: ReadonlySet<string> = new Set(['decision', 'decision-alteration']);

/**
 * Art. 48: a decision is changed, revoked, or found illegal or void through one path only, the alteration
 * (POST /cases/:id/decision-alterations), which emits DecisionAltered so a published decision is withdrawn.
 * A step of type `decision-alteration` posted as an ordinary step would bypass it.
 */
export function refuseAlterationAsStep(): never {
  throw new RecordingError(
    'DECISION_ALTERATION_PATH',
    '变更、撤销行政处罚决定或确认其违法、无效，须通过处罚决定变更程序办理，不能作为一般环节记录',
    'refused',
    { article: ARTICLE_48 },
  );
}

/** A step that is not a notice or a decision (or weighs one before it exists) does not state penalties (Art. 48). */
export function checkNoDecisionRestatement(step: { stepType: string; fields: Record<string, unknown> }): void {
  const forbidden: readonly string[] = GENERIC_STEPS.has(step.stepType) ? [...DECISION_FIELDS, 'decisionNumber'] : DECISION_FIELDS;
  if (CARRIES_PENALTIES.has(step.stepType)) return;
  const found = forbidden.filter((field) => field in step.fields);
  if (found.length > 0) {
    throw new RecordingError(
      'DECISION_RESTATEMENT_NOT_ALLOWED',
      '该环节不能载明或改变行政处罚决定的内容；变更、撤销决定须通过处罚决定变更程序办理',
      'refused',
      { article: ARTICLE_48, details: { fields: found } },
    );
  }
}

/** A correction record corrects what was recorded of a step; it does not correct a decision (Art. 48). */
export function checkCorrectionTarget(correctedStepType: string): void {
  if (DECISION_RECORDS.has(correctedStepType)) {
    throw new RecordingError(
      'DECISION_CORRECTION_NOT_ALLOWED',
      '更正记录不能更正行政处罚决定或其变更；变更、撤销决定须通过处罚决定变更程序办理',
      'refused',
      { article: ARTICLE_48, details: { correctedStepType } },
    );
  }
}

/** Service and execution of a decision that was revoked or confirmed void are refused: it binds nobody. */
export function checkDecisionBinds(facts: CourseFacts, stepType: 'service' | 'execution'): void {
  const decision = facts.course.decision;
  if (decision && !decisionStillBinds(decision.standing)) {
    throw new RecordingError(
      'DECISION_REVOKED',
      decision.standing === 'revoked' ? '行政处罚决定已被撤销，不能送达或执行' : '行政处罚决定已被确认无效，不能送达或执行',
      'conflict',
      { article: ARTICLE_48, details: { standing: decision.standing, stepType } },
    );
  }
}

export interface Alteration {
  kind: AlterationKind;
  fields: Record<string, unknown>;
}

/** What a change decision may state besides its penalties: the decision as changed (published in the old one's place). */
export const CHANGED_DECISION_FIELDS = ['facts', 'legalBasis', 'changedDecisionNumber', 'decisionText'] as const;

/** The alteration record's own fields from the request: its kind, and for a change the decision as changed. */
export function alterationFields(input: { kind: AlterationKind; penalties?: unknown[] } & Partial<Record<string, unknown>>) {
  const fields: Record<string, unknown> = { kind: input.kind };
  if (input.penalties) fields['penalties'] = input.penalties;
  for (const name of CHANGED_DECISION_FIELDS) if (typeof input[name] === 'string') fields[name] = input[name];
  return fields;
}

/**
 * Art. 48: what may be altered. There must be a decision; one revoked or confirmed void stays so (a new decision
 * needs a new case); a change states the penalties as changed. Allowed after closing: a reconsideration or a
 * court may alter a decision long after the case was archived (the archive then gets a new version).
 */
export function checkAlteration(facts: CourseFacts, alteration: Alteration): void {
  const decision = facts.course.decision;
  if (!decision) throw new RecordingError('DECISION_REQUIRED', '尚未作出行政处罚决定', 'refused', { article: ARTICLE_48 });
  if (!decisionStillBinds(decision.standing)) {
    throw new RecordingError('DECISION_REVOKED', '行政处罚决定已被撤销或确认无效，不能再变更', 'conflict', {
      article: ARTICLE_48,
      details: { standing: decision.standing },
    });
  }
  const penalties = penaltiesIn(alteration.fields);
  if (alteration.kind === 'changed' && penalties.length === 0) {
    throw new RecordingError('PENALTY_REQUIRED', '变更行政处罚决定须载明变更后的行政处罚', 'invalid', {
      article: '《行政处罚法》第五十九条',
    });
  }
  const restated = [...(penalties.length > 0 ? ['penalties'] : []), ...CHANGED_DECISION_FIELDS.filter((f) => f in alteration.fields)];
  if (alteration.kind !== 'changed' && restated.length > 0) {
    throw new RecordingError('DECISION_RESTATEMENT_NOT_ALLOWED', '只有变更决定可以载明变更后的决定内容', 'invalid', {
      article: ARTICLE_48,
      details: { fields: restated },
    });
  }
}
