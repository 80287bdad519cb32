import { fineFenOf, penaltiesIn } from './fines';
import type { Penalty } from './penalties';

/** Art. 48: the ways a decision is altered after it was made (变更, 撤销, 确认违法, 确认无效). */
export const ALTERATION_KINDS = ['changed', 'revoked', 'confirmed-illegal', 'confirmed-void'] as const;
export type AlterationKind = (typeof ALTERATION_KINDS)[number];

/** How a decision stands: as made, or after its latest alteration. */
export type DecisionStanding = 'in-force' | AlterationKind;

/** A revoked decision, or one confirmed void, binds nobody any more: nothing of it is served or executed. */
export function decisionStillBinds(standing: DecisionStanding): boolean {
  return standing !== 'revoked' && standing !== 'confirmed-void';
}

export function isAlterationKind(value: unknown): value is AlterationKind {
  return (ALTERATION_KINDS as readonly unknown[]).includes(value);
}

/** The case's decision as the closing, execution and alteration rules need it. */
export interface DecisionCourse {
  recordId: string;
  standing: DecisionStanding;
  /** Art. 61: false when the party was absent and the decision must be served. */
  partyPresent: boolean;
  /** The penalties as they stand (a `changed` alteration replaces them). */
  penalties: Penalty[];
  /** The fine among them, in fen (a decimal string). */
  fineFen: string;
  /** The latest alteration record, if any. */
  alteredByRecordId: string | null;
}

/**
 * What the period, closing and alteration rules (Art. 47, 48, 60, 61, 67) need of the case's course beyond
 * the latest steps: the decision as it stands, whether it was served, paid and executed, whether the case is
 * suspended and whether its decision period was extended. Folded forward with every record (ProcedureState.course).
 */
export interface CaseCourse {
  decision: DecisionCourse | null;
  served: boolean;
  finePaid: boolean;
  executed: boolean;
  /** When the case was suspended (中止, ISO 8601), while it is; null when it runs. */
  suspendedSince: string | null;
  decisionPeriodExtended: boolean;
}

/** An officer's request to extend the decision period (Art. 60), waiting for the agency head (ProcedureState). */
export interface PendingExtension {
  recordId: string;
  /** Who requested it: the recording officer and those who acted with them; none of them may approve it. */
  officerIds: string[];
}

export function emptyCaseCourse(): CaseCourse {
  return { decision: null, served: false, finePaid: false, executed: false, suspendedSince: null, decisionPeriodExtended: false };
}

/** The step as the course reads it. */
export interface CourseStep {
  id: string;
  stepType: string;
  occurredAt: Date;
  fields: Record<string, unknown>;
}

/** The course after `step` (a new object: `course` is left as it was). */
export function foldCourse(course: CaseCourse | undefined, step: CourseStep): CaseCourse {
  const next: CaseCourse = { ...(course ?? emptyCaseCourse()) };
  const { fields } = step;
  switch (step.stepType) {
    case 'decision': {
      const penalties = penaltiesIn(fields);
      next.decision = {
        recordId: step.id,
        standing: 'in-force',
        partyPresent: fields['partyPresent'] !== false,
        penalties,
        fineFen: fineFenOf(fields).toString(),
        alteredByRecordId: null,
      };
      break;
    }
    case 'decision-alteration': {
      const kind = fields['kind'];
      if (!next.decision || !isAlterationKind(kind)) break;
      const decision: DecisionCourse = { ...next.decision, standing: kind, alteredByRecordId: step.id };
      if (kind === 'changed' && penaltiesIn(fields).length > 0) {
        decision.penalties = penaltiesIn(fields);
        decision.fineFen = fineFenOf(fields).toString();
      }
      next.decision = decision;
      break;
    }
    case 'service':
      if (next.decision) next.served = true;
      break;
    case 'execution':
      next.executed = true;
      if (fields['paid'] === true) next.finePaid = true;
      break;
    case 'suspension':
      next.suspendedSince = step.occurredAt.toISOString();
      break;
    case 'resumption':
      next.suspendedSince = null;
      break;
    // Art. 60: extended by the head's approval; a request of before approvals had their own record named the head
    // who approved it (`approvedBy`) and took effect at once, as its deadline did.
    case 'decision-extension-approval':
      next.decisionPeriodExtended = true;
      break;
    case 'decision-period-extension':
      if (fields['approvedBy'] !== undefined) next.decisionPeriodExtended = true;
      break;
    default:
      break;
  }
  return next;
}
