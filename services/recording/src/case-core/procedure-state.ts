import { foldCourse, type CaseCourse } from './case-course';
import type { PartyKind } from './case.types';

/** The step types whose latest occurrence the procedure rules look at. */
export const TRACKED_STEP_TYPES = [
  'evidence-hold',
  'notice',
  'hearing-request',
  'hearing-notice',
  'hearing',
  'collective-decision',
  'decision',
  'service',
] as const;
export type TrackedStepType = (typeof TRACKED_STEP_TYPES)[number];

/** The fields of a tracked step the rules read (a notice's proposed penalties, whether the party was present at the decision). */
const KEPT_FIELDS: Partial<Record<TrackedStepType, readonly string[]>> = {
  notice: ['penalties'],
  decision: ['partyPresent'],
};

/** A field value as read back from JSON. */
export type JsonField = string | number | boolean | null | object;

/** The latest step of a tracked type, as the rules need it. */
export interface TrackedStep {
  id: string;
  /** ISO 8601, as stored. */
  occurredAt: string;
  fields: Record<string, JsonField>;
}

/**
 * What the procedure rules need of a case's record so far, kept on the case row and folded forward with every
 * appended record (in the appending transaction), so checking a step never reads the record itself:
 * the party's kind, the latest step of each tracked type, the latest hearing and everyone who acted.
 */
export interface ProcedureState {
  version: 1;
  partyKind: PartyKind;
  latest: Partial<Record<TrackedStepType, TrackedStep>>;
  /** The latest `occurredAt` of any hearing (ISO 8601): a decision after a hearing request needs one held since. */
  latestHearingAt: string | null;
  /** Every officer who acted in a recorded step, in order of first appearance. */
  actingOfficerIds: string[];
  /** The decision as it stands, service, payment, execution, suspension, extension (case-course.ts); absent: none yet. */
  course?: CaseCourse;
}

/** A step as it is folded into the state: a record, or a step the rules are given. */
export interface FoldedStep {
  id: string;
  stepType: string;
  occurredAt: Date;
  actingOfficerIds: readonly string[];
  fields: Record<string, unknown>;
}

export function emptyProcedureState(partyKind: PartyKind): ProcedureState {
  return { version: 1, partyKind, latest: {}, latestHearingAt: null, actingOfficerIds: [] };
}

function isTracked(stepType: string): stepType is TrackedStepType {
  return (TRACKED_STEP_TYPES as readonly string[]).includes(stepType);
}

/** The state after `step`, appended after everything `state` has seen (changes `state` in place and returns it). */
export function foldStep(state: ProcedureState, step: FoldedStep): ProcedureState {
  for (const officerId of step.actingOfficerIds) if (!state.actingOfficerIds.includes(officerId)) state.actingOfficerIds.push(officerId);
  state.course = foldCourse(state.course, step);
  if (isTracked(step.stepType)) {
    const fields: Record<string, JsonField> = {};
    for (const key of KEPT_FIELDS[step.stepType] ?? []) if (key in step.fields) fields[key] = step.fields[key] as JsonField;
    const occurredAt = step.occurredAt.toISOString();
    state.latest[step.stepType] = { id: step.id, occurredAt, fields };
    if (step.stepType === 'hearing' && (state.latestHearingAt === null || occurredAt > state.latestHearingAt)) {
      state.latestHearingAt = occurredAt;
    }
  }
  return state;
}

/** The state of a whole record, step by step in chain order. */
export function procedureStateOf(partyKind: PartyKind, steps: readonly FoldedStep[]): ProcedureState {
  const state = emptyProcedureState(partyKind);
  for (const step of steps) foldStep(state, step);
  return state;
}

/** A copy that can be changed without touching `state`. */
export function copyProcedureState(state: ProcedureState): ProcedureState {
  return {
    version: 1,
    partyKind: state.partyKind,
    latest: { ...state.latest },
    latestHearingAt: state.latestHearingAt,
    actingOfficerIds: [...state.actingOfficerIds],
    // foldCourse replaces the course, never changes it: sharing it is safe.
    ...(state.course ? { course: state.course } : {}),
  };
}
