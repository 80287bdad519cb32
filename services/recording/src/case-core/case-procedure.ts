import { checkNoUnapprovedGaps, checkPropertyList } from './audio-video-gaps';
import type { LegalReviewStatus, PartyKind, Procedure } from './case.types';
import { checkClosing } from './closing';
import { checkCorrectedTime } from './correction';
import { courseFactsOf } from './course-facts';
import { checkDecisionBinds, checkNoDecisionRestatement, refuseAlterationAsStep } from './decision-alteration';
import { checkExtension, checkNotSuspended, checkResumption, checkSuspension } from './decision-period';
import { checkJudicialTransfer, checkPossibleCrimeSettled } from './judicial-transfer';
import {
  DEFAULT_THRESHOLDS,
  hearingAvailable,
  heavierThan,
  penaltyWithoutAmount,
  simplifiedAllowed,
  type Penalty,
  type PenaltyThresholds,
} from './penalties';
import { procedureStateOf, textDigest, type ProcedureState, type TrackedStep, type TrackedStepType } from './procedure-state';
import { RecordingError, type RecordingErrorKind } from './recording.error';
import { needsTwoOfficers, SERVICE_METHODS, type StepType } from './step-types';

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
  /** When the case was opened (立案): no step happens before it. */
  openedAt?: Date;
  steps: readonly PastStep[];
}

/** The facts with the record summarised (the case row's procedure state) instead of listed. */
export type CaseStateFacts = Omit<CaseFacts, 'steps' | 'partyKind'> & { state: ProcedureState };

export interface NewStep {
  stepType: StepType;
  occurredAt: Date;
  actingOfficerIds: string[];
  fields: Record<string, unknown>;
  /** Where it happened: a hearing is held at the notified place (Art. 64). */
  place?: string;
  /** When the server records it (default: now): a step entered long after it happened needs a reason. */
  recordedAt?: Date;
  /** Why the step is entered so long after it happened (see ProcedurePolicy.lateEntryLimitMs). */
  lateEntryReason?: string;
}

/** Per-agency procedure data, with the defaults of common practice (market-regulation procedure rules). */
export interface ProcedurePolicy {
  /** The party's statement and defence period after the notice is served, in working days (Practice: 5). */
  statementPeriodWorkingDays: number;
  /** A step entered more than this after it happened is a late entry: it needs a reason and is listed for supervisors. */
  lateEntryLimitMs: number;
  /**
   * Audio/video footage sealed more than this after its recording ended is late in the same way (body-camera
   * footage is uploaded within 24 hours of recording in common practice).
   */
  footageUploadLimitMs: number;
}

export const DEFAULT_PROCEDURE_POLICY: ProcedurePolicy = {
  statementPeriodWorkingDays: 5,
  lateEntryLimitMs: 24 * 3600_000,
  footageUploadLimitMs: 24 * 3600_000,
};

/** Art. 64: the party asks for a hearing within five (working, Art. 85) days of being told. */
export const HEARING_REQUEST_WORKING_DAYS = 5;

/** A hearing starts at the notified time; a start this much later is still the same hearing (people arrive late). */
export const HEARING_START_TOLERANCE_MS = 2 * 3600_000;

/**
 * A step entered long after it happened (补录) is accepted only with its reason (Art. 47: the record is honest about
 * when it was made); the opening of a case included.
 */
export function checkLateEntry(
  step: Pick<NewStep, 'occurredAt' | 'recordedAt' | 'lateEntryReason'>,
  policy: ProcedurePolicy = DEFAULT_PROCEDURE_POLICY,
): void {
  const recordedAt = step.recordedAt ?? new Date();
  if (isLateEntry(step.occurredAt, recordedAt, policy) && !normalised(step.lateEntryReason)) {
    refuse(
      'LATE_ENTRY_REASON_REQUIRED',
      `该环节发生于 ${iso(step.occurredAt)}，超过规定时限后补录（${iso(recordedAt)}），须说明补录理由`,
      '《行政处罚法》第四十七条',
      'invalid',
      { occurredAt: iso(step.occurredAt), recordedAt: iso(recordedAt), limitMinutes: Math.round(policy.lateEntryLimitMs / 60_000) },
    );
  }
}

/** Whether a step entered at `recordedAt` is a late entry under `policy`. */
export function isLateEntry(occurredAt: Date, recordedAt: Date, policy: ProcedurePolicy = DEFAULT_PROCEDURE_POLICY): boolean {
  return recordedAt.getTime() - occurredAt.getTime() > policy.lateEntryLimitMs;
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

function refuse(
  code: string,
  message: string,
  article: string,
  kind: RecordingErrorKind = 'refused',
  details?: Record<string, unknown>,
): never {
  throw new RecordingError(code, message, kind, { article, details });
}

/** What a step may not precede, with the time it happened. */
interface Prerequisite {
  stepType: string;
  occurredAt: string | Date | null | undefined;
}

const iso = (value: string | Date) => (typeof value === 'string' ? new Date(value) : value).toISOString();

/** `step` happened before `before`: refused, naming both times (a notice before the investigation, service before the decision…). */
function notBefore(step: NewStep, before: Prerequisite): void {
  if (!before.occurredAt) return;
  const prerequisiteAt = new Date(before.occurredAt);
  if (step.occurredAt.getTime() < prerequisiteAt.getTime()) {
    refuse(
      'STEP_BEFORE_PREREQUISITE',
      `该环节的发生时间（${iso(step.occurredAt)}）早于其所依据的环节“${before.stepType}”的发生时间（${iso(prerequisiteAt)}）`,
      '《行政处罚法》第四十七条',
      'refused',
      { stepType: step.stepType, occurredAt: iso(step.occurredAt), prerequisite: before.stepType, prerequisiteAt: iso(prerequisiteAt) },
    );
  }
}

const normalised = (value: unknown) => (typeof value === 'string' ? value.trim().replace(/\s+/g, ' ') : '');

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
    readonly thresholds: PenaltyThresholds = DEFAULT_THRESHOLDS,
    readonly policy: ProcedurePolicy = DEFAULT_PROCEDURE_POLICY,
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
    this.checkTimes(facts, step);
    // Art. 42: two certified officers for every investigating and enforcing step (the certificate guard checks the
    // same with the certificates; this keeps the rule true whoever calls the core).
    if (needsTwoOfficers(step.stepType, step.fields) && new Set(step.actingOfficerIds).size < 2) {
      refuse('TOO_FEW_OFFICERS', '调查取证、检查、查封扣押、送达、执行等环节须有两名以上持证执法人员', '《行政处罚法》第四十二条');
    }
    // Art. 48: a decision is stated by the decision and altered by the alteration, never by another record.
    checkNoDecisionRestatement(step);
    // 国办发〔2018〕118号: a sealing is recorded as one (its audio/video rule goes with it); gaps approved before review or closing.
    checkPropertyList(step.stepType, step.fields);
    checkNoUnapprovedGaps(step.stepType, facts.state.unapprovedAudioVideoGaps);
    const course = courseFactsOf(facts);
    switch (step.stepType) {
      case 'opening':
      case 'evidence-sealed':
      case 'legal-review-result':
      case 'audio-video-gap-approval':
      case 'decision-extension-approval':
        refuse('STEP_NOT_ALLOWED', '该环节由系统自动记录', '《行政处罚法》第四十七条', 'invalid');
        break;
      case 'evidence-hold-release':
        if (!last('evidence-hold')) refuse('STEP_NOT_ALLOWED', '没有先行登记保存的证据可处理', '《行政处罚法》第五十六条');
        notBefore(step, { stepType: 'evidence-hold', occurredAt: last('evidence-hold')?.occurredAt });
        break;
      case 'notice':
        this.checkNotice(facts, step, last('notice'));
        break;
      case 'statement':
        notBefore(step, { stepType: 'notice', occurredAt: last('notice')?.occurredAt });
        break;
      case 'assisting-agency':
        // Art. 42: officers of another agency act in the case only once the agency's assistance is on record.
        if (typeof step.fields['agencyId'] !== 'string' || !/^[0-9a-f-]{36}$/i.test(step.fields['agencyId'])) {
          refuse('ASSISTING_AGENCY_REQUIRED', '协助机关须载明其机关标识（agencyId）', '《行政处罚法》第四十二条', 'invalid');
        }
        if (!normalised(step.fields['basis'])) {
          refuse('ASSISTING_AGENCY_REQUIRED', '协助机关须载明协助的依据（basis）', '《行政处罚法》第四十二条', 'invalid');
        }
        break;
      case 'rights-waiver':
        this.checkWaiver(facts, step, last('notice'));
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
        notBefore(step, { stepType: 'notice', occurredAt: last('notice')?.occurredAt });
        if (facts.legalReviewStatus === 'requested')
          refuse('LEGAL_REVIEW_PENDING', '法制审核正在进行中', '《行政处罚法》第五十八条', 'conflict');
        break;
      case 'collective-decision':
        this.checkBeforeDecision(facts);
        notBefore(step, { stepType: 'notice', occurredAt: last('notice')?.occurredAt });
        break;
      case 'decision':
        checkNotSuspended(course);
        checkPossibleCrimeSettled(facts.state.possibleCrimeUnsettled);
        this.checkDecision(facts, step, last);
        break;
      case 'judicial-transfer':
        checkJudicialTransfer(step.fields);
        break;
      case 'decision-alteration':
        refuseAlterationAsStep();
        break;
      case 'service':
        if (step.fields['method'] !== undefined && !(SERVICE_METHODS as readonly unknown[]).includes(step.fields['method'])) {
          refuse('SERVICE_METHOD_INVALID', `送达方式须为：${SERVICE_METHODS.join('、')}`, '《行政处罚法》第六十一条', 'invalid');
        }
        if (facts.status !== 'decided') refuse('DECISION_REQUIRED', '尚未作出行政处罚决定', '《行政处罚法》第六十一条');
        checkDecisionBinds(course, 'service');
        notBefore(step, { stepType: 'decision', occurredAt: last('decision')?.occurredAt });
        break;
      case 'execution':
        if (facts.status !== 'decided') refuse('DECISION_REQUIRED', '尚未作出行政处罚决定', '《行政处罚法》第六十六条');
        checkDecisionBinds(course, 'execution');
        if (last('decision')?.fields['partyPresent'] === false && !last('service')) {
          refuse('SERVICE_REQUIRED', '决定书尚未送达当事人，不能执行', '《行政处罚法》第六十一条');
        }
        notBefore(step, { stepType: 'decision', occurredAt: last('decision')?.occurredAt });
        if (last('decision')?.fields['partyPresent'] === false)
          notBefore(step, { stepType: 'service', occurredAt: last('service')?.occurredAt });
        break;
      case 'correction':
        // A corrected time moves the deadlines (DeadlinePolicy): it must be a time, and a past one.
        checkCorrectedTime(step);
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
        // Nothing recorded so far can have happened after the case was closed.
        notBefore(step, { stepType: 'latest-step', occurredAt: facts.state.latestAt });
        // Art. 47: every period settled (hearing, review, service, payment, execution), or a listed reason with a statement.
        checkClosing(course, step.fields);
        break;
      default:
        break;
    }
  }

  /**
   * Fields the platform adds to a step before it is recorded, so the record says what the rules judged: a notice
   * states whether it told the party of a hearing right (Art. 44, 63) under the agency's thresholds of that day.
   */
  derivedFields(facts: Pick<CaseStateFacts, 'state'>, step: NewStep): Record<string, unknown> {
    if (step.stepType !== 'notice') return {};
    return { hearingRight: hearingAvailable(penaltiesOf(step.fields), facts.state.partyKind, this.thresholds) };
  }

  /** Honest times (Art. 47): no step before the case was opened; a step entered long after it happened says why. */
  private checkTimes(facts: CaseStateFacts, step: NewStep): void {
    if (facts.openedAt && step.occurredAt.getTime() < facts.openedAt.getTime()) {
      refuse(
        'STEP_BEFORE_OPENING',
        `该环节的发生时间（${iso(step.occurredAt)}）早于立案时间（${iso(facts.openedAt)}）`,
        '《行政处罚法》第四十七条',
        'refused',
        { stepType: step.stepType, occurredAt: iso(step.occurredAt), openedAt: iso(facts.openedAt) },
      );
    }
    checkLateEntry(step, this.policy);
  }

  private checkBeforeDecision(facts: CaseStateFacts): void {
    if (facts.status === 'decided') refuse('DECISION_EXISTS', '本案已作出处罚决定', '《行政处罚法》第五十七条', 'conflict');
  }

  private checkPenalties(step: NewStep, article: string): Penalty[] {
    const penalties = penaltiesOf(step.fields);
    if (penalties.length === 0) {
      refuse(
        'PENALTY_REQUIRED',
        step.stepType === 'notice' ? '告知须载明拟作出的行政处罚' : '处罚决定须载明行政处罚的种类和数额',
        article,
        'invalid',
      );
    }
    const missing = penaltyWithoutAmount(penalties);
    if (missing) {
      refuse('FINE_AMOUNT_REQUIRED', '罚款须载明数额（以分计的非负整数）', '《行政处罚法》第五十一条、第五十九条', 'invalid', {
        kind: missing.kind,
      });
    }
    return penalties;
  }

  /**
   * The notice of the proposed penalty (Art. 44, 62): after the investigation it rests on; a heavier notice after the
   * party's statement or hearing only on new facts found since, with its reason (Art. 45).
   */
  private checkNotice(facts: CaseStateFacts, step: NewStep, previous: TrackedStep | undefined): void {
    this.checkBeforeDecision(facts);
    const penalties = this.checkPenalties(step, '《行政处罚法》第四十四条');
    notBefore(step, { stepType: 'investigation', occurredAt: facts.state.investigatedAt });
    if (!previous) return;
    notBefore(step, { stepType: 'notice', occurredAt: previous.occurredAt });
    const defendedAt = [facts.state.latest.statement?.occurredAt, facts.state.latestHearingAt]
      .filter((at): at is string => !!at && at >= previous.occurredAt)
      .sort()
      .pop();
    if (!defendedAt || !heavierThan(penalties, penaltiesOf(previous.fields))) return;
    // Art. 45: the statement or defence is never the reason for a heavier penalty; only facts found after it are.
    const newFacts = facts.state.investigatedAt !== null && facts.state.investigatedAt > defendedAt;
    if (!newFacts || !normalised(step.fields['changeReason'])) {
      refuse(
        'HEAVIER_AFTER_DEFENCE',
        '不得因当事人陈述、申辩而给予更重的处罚；加重须基于陈述申辩后新查明的事实并说明理由',
        '《行政处罚法》第四十五条',
        'refused',
        {
          defendedAt,
        },
      );
    }
  }

  /** The party gives up its statement period or hearing right (Art. 44, 63): after the notice, signed or refused on record. */
  private checkWaiver(facts: CaseStateFacts, step: NewStep, notice: TrackedStep | undefined): void {
    this.checkBeforeDecision(facts);
    if (!notice) refuse('NOTICE_REQUIRED', '尚未告知当事人拟作出的行政处罚及其权利，无从放弃', '《行政处罚法》第四十四条');
    notBefore(step, { stepType: 'notice', occurredAt: notice.occurredAt });
    const waives = step.fields['waives'];
    if (!Array.isArray(waives) || waives.length === 0 || !waives.every((right) => right === 'statement' || right === 'hearing')) {
      refuse(
        'WAIVER_RIGHTS_REQUIRED',
        '放弃权利须载明放弃的是陈述申辩还是听证（waives: statement、hearing）',
        '《行政处罚法》第四十四条',
        'invalid',
      );
    }
    const signature = step.fields['partySignature'];
    if (signature !== 'signed' && signature !== 'refused') {
      refuse('WAIVER_SIGNATURE_REQUIRED', '当事人放弃权利须由其签名，或由执法人员记明其拒绝签名', '《行政处罚法》第四十四条', 'invalid');
    }
    // A refusal to sign is only on record when two officers witness it.
    if (signature === 'refused' && new Set(step.actingOfficerIds).size < 2) {
      refuse('TOO_FEW_OFFICERS', '当事人拒绝签名的，须由两名以上执法人员在场记明', '《行政处罚法》第四十二条');
    }
  }

  private checkHearingRequest(facts: CaseStateFacts, step: NewStep, notice: TrackedStep | undefined): void {
    if (facts.status === 'decided') {
      refuse('HEARING_REQUEST_AFTER_DECISION', '处罚决定已经作出，不能再申请听证', '《行政处罚法》第六十四条');
    }
    if (!notice) refuse('NOTICE_REQUIRED', '尚未告知拟作出的行政处罚，不能申请听证', '《行政处罚法》第六十三条');
    notBefore(step, { stepType: 'notice', occurredAt: notice.occurredAt });
    if (!hearingAvailable(penaltiesOf(notice.fields), facts.state.partyKind, this.thresholds)) {
      refuse('HEARING_NOT_AVAILABLE', '拟作出的处罚不属于可以申请听证的范围', '《行政处罚法》第六十三条');
    }
    // Art. 64(1) with Art. 85: five working days from being told.
    const closesAt = this.days.addWorkingDays(new Date(notice.occurredAt), HEARING_REQUEST_WORKING_DAYS);
    if (step.occurredAt.getTime() >= closesAt.getTime()) {
      refuse('HEARING_REQUEST_LATE', '当事人应在被告知后五个工作日内提出听证要求', '《行政处罚法》第六十四条、第八十五条', 'refused', {
        closedAt: closesAt.toISOString(),
      });
    }
  }

  private checkHearingNotice(step: NewStep, request: TrackedStep | undefined): void {
    if (!request) refuse('HEARING_NOT_REQUESTED', '当事人未要求听证', '《行政处罚法》第六十四条');
    notBefore(step, { stepType: 'hearing-request', occurredAt: request.occurredAt });
    const hearingAt = new Date(String(step.fields['hearingAt'] ?? ''));
    if (Number.isNaN(hearingAt.getTime())) {
      refuse('HEARING_TIME_REQUIRED', '听证通知须载明举行听证的时间', '《行政处罚法》第六十四条', 'invalid');
    }
    if (!normalised(step.fields['hearingPlace'])) {
      refuse('HEARING_PLACE_REQUIRED', '听证通知须载明举行听证的地点', '《行政处罚法》第六十四条', 'invalid');
    }
    // Art. 64(2) with Art. 85: the notice goes out seven working days before the hearing.
    if (hearingAt.getTime() < this.days.addWorkingDays(step.occurredAt, 7).getTime()) {
      refuse('HEARING_NOTICE_TOO_LATE', '应当在举行听证的七日前通知当事人', '《行政处罚法》第六十四条、第八十五条');
    }
  }

  private checkHearing(facts: CaseStateFacts, step: NewStep, notice: TrackedStep | undefined): void {
    if (!notice) refuse('HEARING_NOT_NOTIFIED', '尚未通知当事人听证的时间、地点', '《行政处罚法》第六十四条');
    notBefore(step, { stepType: 'hearing-notice', occurredAt: notice.occurredAt });
    // Art. 64(2): the hearing is held when and where the party was told, seven days ahead; not at another time.
    const hearingAt = new Date(String(notice.fields['hearingAt'] ?? ''));
    const late = step.occurredAt.getTime() - hearingAt.getTime();
    const place = notice.fields['hearingPlace'];
    if (
      Number.isNaN(late) ||
      late < 0 ||
      late > HEARING_START_TOLERANCE_MS ||
      (place !== undefined && normalised(place) !== normalised(step.place))
    ) {
      refuse(
        'HEARING_NOT_AS_NOTIFIED',
        `听证应当在通知的时间（${Number.isNaN(late) ? '未载明' : iso(hearingAt)}）和地点举行`,
        '《行政处罚法》第六十四条',
        'refused',
        {
          occurredAt: iso(step.occurredAt),
          notifiedAt: Number.isNaN(late) ? null : iso(hearingAt),
          notifiedPlace: typeof place === 'string' ? place : null,
        },
      );
    }
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
    const penalties = this.checkPenalties(step, '《行政处罚法》第五十九条');
    const partyKind = facts.state.partyKind;
    if (facts.procedure === 'simplified') {
      if (!simplifiedAllowed(penalties, partyKind)) {
        refuse(
          'SIMPLIFIED_PROCEDURE_NOT_ALLOWED',
          '当场处罚仅限警告或小额罚款（公民二百元、法人三千元以下，合并计算）',
          '《行政处罚法》第五十一条',
        );
      }
      // Art. 44 holds on the spot too: the party is told the facts, reasons, basis and its rights before the decision,
      // by a notice step or as the decision records (fields.partyInformed).
      if (step.fields['partyInformed'] !== true && !last('notice')) {
        refuse(
          'NOTICE_REQUIRED',
          '当场处罚前须告知当事人拟作出处罚的事实、理由、依据及其陈述申辩权利（partyInformed）',
          '《行政处罚法》第四十四条、第五十二条',
        );
      }
      // Art. 52: the on-the-spot decision is handed to the party, who signs it (or whose refusal is recorded).
      const signature = step.fields['partySignature'];
      if (signature !== 'signed' && signature !== 'refused') {
        refuse('PARTY_SIGNATURE_REQUIRED', '当场处罚决定书须由当事人签名或记明其拒绝签名', '《行政处罚法》第五十二条', 'invalid');
      }
      return;
    }
    const notice = last('notice');
    if (!notice) refuse('NOTICE_REQUIRED', '作出处罚决定前须告知当事人拟处罚的内容及其权利', '《行政处罚法》第四十四条、第六十二条');
    notBefore(step, { stepType: 'notice', occurredAt: notice.occurredAt });
    notBefore(step, { stepType: 'hearing', occurredAt: facts.state.latestHearingAt });
    notBefore(step, { stepType: 'collective-decision', occurredAt: last('collective-decision')?.occurredAt });

    // Art. 44, 45: the decision is the one the party was told of; anything heavier or different needs a new notice.
    const notified = penaltiesOf(notice.fields);
    const heavier = heavierThan(penalties, notified);
    const otherText = (['facts', 'legalBasis'] as const).find(
      (field) => step.fields[field] !== undefined && textDigest(step.fields[field]) !== (notice.digests?.[field] ?? null),
    );
    if (heavier || otherText) {
      refuse(
        'DECISION_EXCEEDS_NOTICE',
        '处罚决定与告知的拟处罚内容不一致（更重、其他种类或其他事实、依据），须重新告知当事人',
        '《行政处罚法》第四十四条、第四十五条',
        'refused',
        {
          difference: heavier ?? `other-${otherText === 'facts' ? 'facts' : 'basis'}`,
        },
      );
    }
    // What the notice told the party (its hearing right, as judged when it was given), or what it would tell now.
    const toldOfHearing = notice.fields['hearingRight'];
    const hearingOnNotice = toldOfHearing === true || hearingAvailable(notified, partyKind, this.thresholds);
    const hearingOnDecision = hearingAvailable(penalties, partyKind, this.thresholds);
    if (hearingOnDecision && (toldOfHearing === false || !hearingOnNotice)) {
      refuse('HEARING_RIGHT_NOT_NOTIFIED', '拟作出的处罚可以申请听证，但告知时未告知听证权利，须重新告知', '《行政处罚法》第六十三条');
    }

    // Art. 64, 65: a hearing asked for is held before the decision, and the decision rests on its transcript.
    const request = last('hearing-request');
    const requested = request !== undefined && request.occurredAt >= notice.occurredAt;
    const hearingAt = facts.state.latestHearingAt;
    if (requested && !(hearingAt !== null && hearingAt >= request.occurredAt)) {
      refuse('HEARING_PENDING', '当事人已要求听证，须在听证结束后作出决定', '《行政处罚法》第六十五条');
    }
    const heard = hearingAt !== null && hearingAt >= notice.occurredAt;
    if (heard && step.fields['hearingRecordId'] !== last('hearing')?.id) {
      refuse(
        'HEARING_TRANSCRIPT_REQUIRED',
        '听证结束后，应当根据听证笔录作出决定（hearingRecordId 须为本案听证记录）',
        '《行政处罚法》第六十五条',
        'invalid',
        {
          hearingRecordId: last('hearing')?.id,
        },
      );
    }

    // Art. 44, 64 with Art. 85: the party's statement period and hearing window run out first, unless waived on record.
    const waiver = last('rights-waiver');
    const waived = (right: string) =>
      waiver !== undefined &&
      waiver.occurredAt >= notice.occurredAt &&
      Array.isArray(waiver.fields['waives']) &&
      waiver.fields['waives'].includes(right);
    const servedAt = new Date(notice.occurredAt);
    const statementEnds = this.days.addWorkingDays(servedAt, this.policy.statementPeriodWorkingDays);
    if (step.occurredAt.getTime() < statementEnds.getTime() && !waived('statement')) {
      refuse(
        'STATEMENT_PERIOD_RUNNING',
        `当事人陈述、申辩期限至 ${statementEnds.toISOString()} 届满，期满前不得作出决定（当事人书面放弃的除外）`,
        '《行政处罚法》第四十四条、第六十二条',
        'refused',
        {
          endsAt: statementEnds.toISOString(),
        },
      );
    }
    if (hearingOnNotice && !requested && !waived('hearing')) {
      const windowCloses = this.days.addWorkingDays(servedAt, HEARING_REQUEST_WORKING_DAYS);
      if (step.occurredAt.getTime() < windowCloses.getTime()) {
        refuse(
          'HEARING_WINDOW_OPEN',
          `当事人要求听证的期限至 ${windowCloses.toISOString()} 届满，期满前不得作出决定（当事人书面放弃的除外）`,
          '《行政处罚法》第六十四条、第八十五条',
          'refused',
          {
            endsAt: windowCloses.toISOString(),
          },
        );
      }
    }

    // Art. 58: heavy penalties (decided or notified) and those that went through a hearing need legal review.
    const reviewNeeded = hearingOnDecision || hearingOnNotice || heard;
    if (
      (facts.legalReviewStatus !== 'not-required' && facts.legalReviewStatus !== 'approved') ||
      (reviewNeeded && facts.legalReviewStatus === 'not-required')
    ) {
      refuse('LEGAL_REVIEW_REQUIRED', '重大执法决定未经法制审核或审核未通过，不得作出决定', '《行政处罚法》第五十八条');
    }
    // Art. 57: the case's facts call for the leaders' collective decision, not only a flag set at opening.
    const collectiveNeeded =
      facts.requiresCollectiveDecision ||
      facts.state.collectiveDecisionCalledFor ||
      step.fields['seriousViolation'] === true ||
      step.fields['complex'] === true ||
      hearingOnDecision ||
      hearingOnNotice;
    const collective = last('collective-decision');
    if (collectiveNeeded && !(collective && collective.occurredAt >= notice.occurredAt)) {
      refuse(
        'COLLECTIVE_DECISION_REQUIRED',
        '情节复杂或重大违法行为给予较重的行政处罚，须经负责人集体讨论决定',
        '《行政处罚法》第五十七条',
      );
    }
  }
}
