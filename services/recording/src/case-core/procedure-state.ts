import { createHash } from 'node:crypto';
import { foldAudioVideoGaps } from './audio-video-gaps';
import { foldCourse, type CaseCourse, type PendingExtension } from './case-course';
import type { PartyKind } from './case.types';
import { foldPendingExtension } from './decision-period';
import { foldPossibleCrime } from './judicial-transfer';

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
  'statement',
  'rights-waiver',
  'legal-review',
  'execution',
] as const;
export type TrackedStepType = (typeof TRACKED_STEP_TYPES)[number];

/** The fields of a tracked step the rules read (a notice's proposed penalties, whether the party was present at the decision). */
const KEPT_FIELDS: Partial<Record<TrackedStepType, readonly string[]>> = {
  notice: ['penalties', 'seriousViolation', 'complex', 'hearingRight'],
  decision: ['partyPresent'],
  'hearing-notice': ['hearingAt', 'hearingPlace'],
  'rights-waiver': ['waives'],
};

/** Fields of a tracked step kept as a digest only (a notice's facts and basis, compared with the decision's; Art. 44). */
const DIGESTED_FIELDS: Partial<Record<TrackedStepType, readonly string[]>> = {
  notice: ['facts', 'legalBasis'],
};

/** The investigating steps a notice of the proposed penalty rests on (Art. 44, 54-55). */
export const INVESTIGATIVE_STEPS: ReadonlySet<string> = new Set([
  'inspection',
  'inquiry',
  'evidence-collection',
  'evidence-hold',
  'sealing-seizure',
]);

/** The shape version of ProcedureState: a stored state of another version is folded anew from the record. */
export const PROCEDURE_STATE_VERSION = 3;

/** A text field compared by digest: the same words, whatever the whitespace around and between them. */
export function textDigest(value: unknown): string | null {
  if (typeof value !== 'string' || !value.trim()) return null;
  return createHash('sha256').update(value.trim().replace(/\s+/g, ' ')).digest('hex');
}

/** A field value as read back from JSON. */
export type JsonField = string | number | boolean | null | object;

/** The latest step of a tracked type, as the rules need it. */
export interface TrackedStep {
  id: string;
  /** ISO 8601, as stored. */
  occurredAt: string;
  fields: Record<string, JsonField>;
  /** SHA-256 of the digested text fields (DIGESTED_FIELDS), by field name; absent when the step has none. */
  digests?: Record<string, string>;
}

/**
 * What the procedure rules need of a case's record so far, kept on the case row and folded forward with every
 * appended record (in the appending transaction), so checking a step never reads the record itself:
 * the party's kind, the latest step of each tracked type, the latest hearing and everyone who acted.
 */
export interface ProcedureState {
  version: 3;
  partyKind: PartyKind;
  latest: Partial<Record<TrackedStepType, TrackedStep>>;
  /** The latest `occurredAt` of any hearing (ISO 8601): a decision after a hearing request needs one held since. */
  latestHearingAt: string | null;
  /** Every officer who acted in a recorded step, in order of first appearance. */
  actingOfficerIds: string[];
  /** The decision as it stands, service, payment, execution, suspension, extension (case-course.ts); absent: none yet. */
  course?: CaseCourse;
  /** The latest `occurredAt` of any investigating step (INVESTIGATIVE_STEPS): a notice cannot come before it. */
  investigatedAt: string | null;
  /** The latest `occurredAt` of any step: a closing cannot come before it. */
  latestAt: string | null;
  /**
   * Art. 57: the case's facts call for a collective decision by the agency's leaders: a notice that calls the
   * violation serious or the case complex, or a legal-review conclusion that asks for one.
   */
  collectiveDecisionCalledFor: boolean;
  /** Agencies recorded as assisting in the case (`assisting-agency` steps): their officers may act beside the case's. */
  assistingAgencyIds?: string[];
  /** Records with a justified gap in their audio/video recording not approved yet (audio-video-gaps.ts). */
  unapprovedAudioVideoGaps?: string[];
  /** Art. 60: the officers' request to extend the decision period, waiting for the agency head (decision-period.ts). */
  pendingDecisionPeriodExtension?: PendingExtension;
  /** Art. 27: legal review found a possible crime not yet transferred or reasoned away (judicial-transfer.ts). */
  possibleCrimeUnsettled?: boolean;
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
  return {
    version: 3,
    partyKind,
    latest: {},
    latestHearingAt: null,
    actingOfficerIds: [],
    investigatedAt: null,
    latestAt: null,
    collectiveDecisionCalledFor: false,
  };
}

/** Whether a stored state has the shape this code folds (an older one is folded anew from the record). */
export function isCurrentProcedureState(state: ProcedureState | null | undefined): state is ProcedureState {
  return !!state && state.version === PROCEDURE_STATE_VERSION;
}

function isTracked(stepType: string): stepType is TrackedStepType {
  return (TRACKED_STEP_TYPES as readonly string[]).includes(stepType);
}

/** The state after `step`, appended after everything `state` has seen (changes `state` in place and returns it). */
export function foldStep(state: ProcedureState, step: FoldedStep): ProcedureState {
  for (const officerId of step.actingOfficerIds) if (!state.actingOfficerIds.includes(officerId)) state.actingOfficerIds.push(officerId);
  state.course = foldCourse(state.course, step);
  const crime = foldPossibleCrime(state.possibleCrimeUnsettled, step);
  if (crime !== undefined) state.possibleCrimeUnsettled = crime;
  const gaps = foldAudioVideoGaps(state.unapprovedAudioVideoGaps, step);
  if (gaps !== undefined) state.unapprovedAudioVideoGaps = gaps;
  const extension = foldPendingExtension(state.pendingDecisionPeriodExtension, step);
  if (extension) state.pendingDecisionPeriodExtension = extension;
  else delete state.pendingDecisionPeriodExtension;
  const occurredAt = step.occurredAt.toISOString();
  const assisting = step.fields['agencyId'];
  if (step.stepType === 'assisting-agency' && typeof assisting === 'string' && !state.assistingAgencyIds?.includes(assisting)) {
    state.assistingAgencyIds = [...(state.assistingAgencyIds ?? []), assisting];
  }
  if (state.latestAt === null || occurredAt > state.latestAt) state.latestAt = occurredAt;
  if (INVESTIGATIVE_STEPS.has(step.stepType) && (state.investigatedAt === null || occurredAt > state.investigatedAt)) {
    state.investigatedAt = occurredAt;
  }
  const calls = step.fields['seriousViolation'] === true || step.fields['complex'] === true;
  if (
    (step.stepType === 'notice' && calls) ||
    (step.stepType === 'legal-review-result' && step.fields['collectiveDecisionRequired'] === true)
  ) {
    state.collectiveDecisionCalledFor = true;
  }
  if (isTracked(step.stepType)) {
    const fields: Record<string, JsonField> = {};
    for (const key of KEPT_FIELDS[step.stepType] ?? []) if (key in step.fields) fields[key] = step.fields[key] as JsonField;
    const tracked: TrackedStep = { id: step.id, occurredAt, fields };
    for (const key of DIGESTED_FIELDS[step.stepType] ?? []) {
      const digest = textDigest(step.fields[key]);
      if (digest) tracked.digests = { ...tracked.digests, [key]: digest };
    }
    state.latest[step.stepType] = tracked;
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
    ...state,
    latest: { ...state.latest },
    actingOfficerIds: [...state.actingOfficerIds],
    ...(state.unapprovedAudioVideoGaps ? { unapprovedAudioVideoGaps: [...state.unapprovedAudioVideoGaps] } : {}),
    // foldCourse replaces the course, never changes it: sharing it is safe.
    ...(state.course ? { course: state.course } : {}),
  };
}
