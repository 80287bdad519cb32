import type { LegalReviewStatus, PartyKind, Procedure } from './case.types';
import { hearingAvailable, simplifiedAllowed, type Penalty, type PenaltyThresholds } from './penalties';
import { procedureStateOf, type ProcedureState, type TrackedStep, type TrackedStepType } from './procedure-state';
import { checkClosing } from './closing';
import { courseFactsOf } from './course-facts';
import { checkDecisionBinds, checkNoDecisionRestatement, refuseAlterationAsStep } from './decision-alteration';
import { checkExtension, checkNotSuspended, checkResumption, checkSuspension } from './decision-period';
import { RecordingError, type RecordingErrorKind } from './recording.error';
import type { StepType } from './step-types';

/** A step already in the record, as the rules need it. */
export interface PastStep {
  id: string;
  stepType: string;
  occurredAt: Date;
  actingOfficerIds: string[];
  fields: Record<string, unknown>;
}

export interface CaseFacts {
  procedure: Procedure;
  status: 'open' | 'decided' | 'closed';
  partyKind: PartyKind;
  legalReviewStatus: LegalReviewStatus;
  requiresCollectiveDecision: boolean;
  handlingOfficerIds: string[];
  steps: readonly PastStep[];
}

/** The facts with the record summarised (the case row's procedure state) instead of listed. */
export type CaseStateFacts = Omit<CaseFacts, 'steps' | 'partyKind'> & { state: ProcedureState };

export interface NewStep {
  stepType: StepType;
  occurredAt: Date;
  actingOfficerIds: string[];
  fields: Record<string, unknown>;
}

/** Deadline arithmetic on the working-day calendar (Art. 85), injected so the rules stay pure. */
export interface DayCounter {
  addWorkingDays(from: Date, days: number): Date;
}

const SIMPLIFIED_STEPS: ReadonlySet<string> = new Set([
  'inspection',
  'inquiry',
  'notice',
  'statement',
  'decision',
  'service',
  'execution',
  'closing',
  'correction',
  'other',
]);

function refuse(code: string, message: string, article: string, kind: RecordingErrorKind = 'refused'): never {
  throw new RecordingError(code, message, kind, { article });
}

export function penaltiesOf(fields: Record<string, unknown>): Penalty[] {
  return Array.isArray(fields['penalties']) ? (fields['penalties'] as Penalty[]) : [];
}

/**
 * The administrative penalty procedure as rules over the record so far: a step the law does not allow
 * yet is refused with a code and the article that forbids it.
 */
export class CaseProcedure {
  constructor(
    private readonly days: DayCounter,
    private readonly thresholds: PenaltyThresholds,
  ) {}

  /** Checks `step` against the record listed step by step (summarised first, then as checkState). */
  check(facts: CaseFacts, step: NewStep): void {
    const { steps, partyKind, ...rest } = facts;
    this.checkState({ ...rest, state: procedureStateOf(partyKind, steps) }, step);
  }

  /** Checks `step` against the record as summarised in the case's procedure state. */
  checkState(facts: CaseStateFacts, step: NewStep): void {
    if (facts.status === 'closed') refuse('CASE_CLOSED', '案件已结案，不能再记录执法环节', '《行政处罚法》第四十七条', 'conflict');
    const last = (type: TrackedStepType) => facts.state.latest[type];
    if (facts.procedure === 'simplified' && !SIMPLIFIED_STEPS.has(step.stepType)) {
      refuse('SIMPLIFIED_PROCEDURE_NOT_ALLOWED', '简易程序案件不能进行该环节，请按普通程序办理', '《行政处罚法》第五十一条');
    }
    // Art. 48: a decision is stated by the decision and altered by the alteration, never by another record.
    checkNoDecisionRestatement(step);
    const course = courseFactsOf(facts);
    switch (step.stepType) {
      case 'opening':
      case 'evidence-sealed':
      case 'legal-review-result':
        refuse('STEP_NOT_ALLOWED', '该环节由系统自动记录', '《行政处罚法》第四十七条', 'invalid');
        break;
      case 'evidence-hold-release':
        if (!last('evidence-hold')) refuse('STEP_NOT_ALLOWED', '没有先行登记保存的证据可处理', '《行政处罚法》第五十六条');
        break;
      case 'notice':
        this.checkBeforeDecision(facts);
        if (penaltiesOf(step.fields).length === 0)
          refuse('PENALTY_REQUIRED', '告知须载明拟作出的行政处罚', '《行政处罚法》第四十四条', 'invalid');
        break;
      case 'hearing-request':
        this.checkHearingRequest(facts, step, last('notice'));
        break;
      case 'hearing-notice':
        this.checkHearingNotice(step, last('hearing-request'));
        break;
      case 'hearing':
        this.checkHearing(facts, step, last('hearing-notice'));
        break;
      case 'legal-review':
        this.checkBeforeDecision(facts);
        if (!last('notice'))
          refuse('NOTICE_REQUIRED', '提交法制审核前须先形成拟处罚意见并告知当事人', '《行政处罚法》第四十四条、第六十二条');
        if (facts.legalReviewStatus === 'requested')
          refuse('LEGAL_REVIEW_PENDING', '法制审核正在进行中', '《行政处罚法》第五十八条', 'conflict');
        break;
      case 'collective-decision':
        this.checkBeforeDecision(facts);
        break;
      case 'decision':
        checkNotSuspended(course);
        this.checkDecision(facts, step, last);
        break;
      case 'decision-alteration':
        refuseAlterationAsStep();
        break;
      case 'service':
        if (facts.status !== 'decided') refuse('DECISION_REQUIRED', '尚未作出行政处罚决定', '《行政处罚法》第六十一条');
        checkDecisionBinds(course, 'service');
        break;
      case 'execution':
        if (facts.status !== 'decided') refuse('DECISION_REQUIRED', '尚未作出行政处罚决定', '《行政处罚法》第六十六条');
        checkDecisionBinds(course, 'execution');
        if (last('decision')?.fields['partyPresent'] === false && !last('service')) {
          refuse('SERVICE_REQUIRED', '决定书尚未送达当事人，不能执行', '《行政处罚法》第六十一条');
        }
        break;
      case 'decision-period-extension':
        checkExtension(course, step.fields);
        break;
      case 'suspension':
        checkSuspension(course, step.fields);
        break;
      case 'resumption':
        checkResumption(course, step.occurredAt);
        break;
      case 'closing':
        // Art. 47: every period settled (hearing, review, service, payment, execution), or a listed reason with a statement.
        checkClosing(course, step.fields);
        break;
      default:
        break;
    }
  }

  private checkBeforeDecision(facts: CaseStateFacts): void {
    if (facts.status === 'decided') refuse('DECISION_EXISTS', '本案已作出处罚决定', '《行政处罚法》第五十七条', 'conflict');
  }

  private checkHearingRequest(facts: CaseStateFacts, step: NewStep, notice: TrackedStep | undefined): void {
    if (!notice) refuse('NOTICE_REQUIRED', '尚未告知拟作出的行政处罚，不能申请听证', '《行政处罚法》第六十三条');
    if (!hearingAvailable(penaltiesOf(notice.fields), facts.state.partyKind, this.thresholds)) {
      refuse('HEARING_NOT_AVAILABLE', '拟作出的处罚不属于可以申请听证的范围', '《行政处罚法》第六十三条');
    }
    // Art. 64(1) with Art. 85: five working days from being told.
    if (step.occurredAt.getTime() >= this.days.addWorkingDays(new Date(notice.occurredAt), 5).getTime()) {
      refuse('HEARING_REQUEST_LATE', '当事人应在被告知后五个工作日内提出听证要求', '《行政处罚法》第六十四条、第八十五条');
    }
  }

  private checkHearingNotice(step: NewStep, request: TrackedStep | undefined): void {
    if (!request) refuse('HEARING_NOT_REQUESTED', '当事人未要求听证', '《行政处罚法》第六十四条');
    const hearingAt = new Date(String(step.fields['hearingAt'] ?? ''));
    if (Number.isNaN(hearingAt.getTime())) {
      refuse('HEARING_TIME_REQUIRED', '听证通知须载明举行听证的时间', '《行政处罚法》第六十四条', 'invalid');
    }
    // Art. 64(2) with Art. 85: the notice goes out seven working days before the hearing.
    if (hearingAt.getTime() < this.days.addWorkingDays(step.occurredAt, 7).getTime()) {
      refuse('HEARING_NOTICE_TOO_LATE', '应当在举行听证的七日前通知当事人', '《行政处罚法》第六十四条、第八十五条');
    }
  }

  private checkHearing(facts: CaseStateFacts, step: NewStep, notice: TrackedStep | undefined): void {
    if (!notice) refuse('HEARING_NOT_NOTIFIED', '尚未通知当事人听证的时间、地点', '《行政处罚法》第六十四条');
    const chair = step.fields['chairOfficerId'];
    if (typeof chair !== 'string' || !chair) {
      refuse('HEARING_CHAIR_REQUIRED', '须指定听证主持人', '《行政处罚法》第六十四条', 'invalid');
    }
    // Art. 64(4): the hearing is chaired by someone other than the case's investigators.
    const investigators = new Set([...facts.handlingOfficerIds, ...facts.state.actingOfficerIds]);
    if (investigators.has(chair)) {
      refuse('HEARING_CHAIR_INVESTIGATED', '听证主持人不能是本案调查人员', '《行政处罚法》第六十四条');
    }
  }

  private checkDecision(facts: CaseStateFacts, step: NewStep, last: (type: TrackedStepType) => TrackedStep | undefined): void {
    this.checkBeforeDecision(facts);
    const penalties = penaltiesOf(step.fields);
    if (penalties.length === 0) refuse('PENALTY_REQUIRED', '处罚决定须载明行政处罚的种类和数额', '《行政处罚法》第五十九条', 'invalid');
    if (facts.procedure === 'simplified') {
      if (!simplifiedAllowed(penalties, facts.state.partyKind)) {
        refuse('SIMPLIFIED_PROCEDURE_NOT_ALLOWED', '当场处罚仅限警告或小额罚款（公民二百元、法人三千元以下）', '《行政处罚法》第五十一条');
      }
      return;
    }
    if (!last('notice'))
      refuse('NOTICE_REQUIRED', '作出处罚决定前须告知当事人拟处罚的内容及其权利', '《行政处罚法》第四十四条、第六十二条');
    const request = last('hearing-request');
    const hearingAt = facts.state.latestHearingAt;
    if (request && !(hearingAt !== null && new Date(hearingAt) >= new Date(request.occurredAt))) {
      refuse('HEARING_PENDING', '当事人已要求听证，须在听证结束后作出决定', '《行政处罚法》第六十五条');
    }
    if (facts.legalReviewStatus !== 'not-required' && facts.legalReviewStatus !== 'approved') {
      refuse('LEGAL_REVIEW_REQUIRED', '重大执法决定未经法制审核或审核未通过，不得作出决定', '《行政处罚法》第五十八条');
    }
    if (facts.requiresCollectiveDecision && !last('collective-decision')) {
      refuse('COLLECTIVE_DECISION_REQUIRED', '情节复杂或重大违法行为须经负责人集体讨论决定', '《行政处罚法》第五十七条');
    }
  }
}
