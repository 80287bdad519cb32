import { Injectable } from '@nestjs/common';
import type { AuthenticatedUser } from '@enforcement/auth';
import {
  CoOfficerProofsService,
  coveragePrefix,
  isDivisionCode,
  type PresentedCertificate,
  type UnspentCoOfficerProofs,
} from '@enforcement/certificates';
import type { Transaction } from '@enforcement/events';
import { FieldCipher } from '@enforcement/field-cipher';
import { traceparentOf } from '@enforcement/observability';
import type { KeysetPage, KeysetPosition } from '@enforcement/service-runtime';
import { randomUUID } from 'node:crypto';
import { audioVideoGapOf, GAP_JUSTIFICATION_FIELD } from '../case-core/audio-video-gaps';
import { Case } from '../case-core/case';
import { checkLateEntry, isLateEntry } from '../case-core/case-procedure';
import type { CaseRecord, CaseState } from '../case-core/case.types';
import { courseFactsOf } from '../case-core/course-facts';
import { alterationFields, checkAlteration, checkCorrectionTarget } from '../case-core/decision-alteration';
import { DomainEventBus } from '../case-core/domain-event.bus';
import { LATE_ENTRY_FIELD } from '../case-core/procedure-settings';
import { copyProcedureState } from '../case-core/procedure-state';
import { RecordingError } from '../case-core/recording.error';
import type { StepType } from '../case-core/step-types';
import { CaseAccessService } from '../cases/case-access.service';
import type { CaseEntity } from '../cases/case.entity';
import { CaseRepository } from '../cases/case.repository';
import { PartyDataReadRepository } from '../cases/party-data-read.repository';
import { EvidenceItemRepository } from '../evidence/evidence-item.repository';
import { IdempotencyService, type KeepKey } from '../idempotency/idempotency.service';
import type { IdempotentRequest } from '../idempotency/idempotent-request';
import { AudioVideoRequirementRepository } from '../procedure/audio-video-requirement.repository';
import { CaseRecordRepository } from '../records/case-record.repository';
import { RecordAppenderService } from '../records/record-appender.service';
import { CaseUnitOfWorkService } from './case-unit-of-work.service';
import type { AlterDecisionDto, OpenCaseDto, RecordStepDto } from './case.dto';
import { ProcedureFactory } from './procedure.factory';

function toShown(presented: readonly PresentedCertificate[]) {
  return presented.map(({ officerId, certificateId, number }) => ({ officerId, certificateId, number }));
}

/** A case row the aggregate may change without touching the original. */
function copyOf(state: CaseState): CaseState {
  return {
    ...state,
    handlingOfficerIds: [...state.handlingOfficerIds],
    procedureState: state.procedureState ? copyProcedureState(state.procedureState) : state.procedureState,
  };
}

/**
 * The case commands and queries: loads the Case aggregate through the repositories, lets it check and
 * change itself, saves it and publishes what it raised on the DomainEventBus (deadlines, archive, outbox).
 */
@Injectable()
export class CasesService {
  constructor(
    private readonly unitOfWork: CaseUnitOfWorkService,
    private readonly events: DomainEventBus<Transaction>,
    private readonly cases: CaseRepository,
    private readonly caseRecords: CaseRecordRepository,
    private readonly evidence: EvidenceItemRepository,
    private readonly audioVideo: AudioVideoRequirementRepository,
    private readonly appender: RecordAppenderService,
    private readonly access: CaseAccessService,
    private readonly cipher: FieldCipher,
    private readonly procedures: ProcedureFactory,
    private readonly partyReads: PartyDataReadRepository,
    private readonly proofs: CoOfficerProofsService,
    private readonly idempotency: IdempotencyService,
  ) {}

  /**
   * Opens a case (立案): the case, its party (sensitive fields encrypted) and the opening record, spending the
   * co-officers' proofs in the same transaction.
   */
  async open(
    input: OpenCaseDto,
    user: AuthenticatedUser,
    presented: PresentedCertificate[],
    proofs: UnspentCoOfficerProofs,
    idempotent?: IdempotentRequest,
  ): Promise<CaseEntity> {
    // Sent again under its key, the opening is answered with the case it opened: one case, one case number.
    const replay = async (_caseId: string | null, openedId: string) => {
      this.proofs.setAside(proofs);
      const opened = await this.cases.find(openedId);
      if (!opened) throw new Error(`case ${openedId}, kept under an idempotency key, is missing`);
      // As the opening answered it: the case's state, without the seal kept beside it.
      const answered: CaseEntity = { ...opened };
      delete answered.stateSeal;
      return answered;
    };
    return this.idempotency.once(idempotent, replay, (keep) => this.openOnce(input, user, presented, proofs, keep));
  }

  private async openOnce(
    input: OpenCaseDto,
    user: AuthenticatedUser,
    presented: PresentedCertificate[],
    proofs: UnspentCoOfficerProofs,
    keep: KeepKey,
  ): Promise<CaseEntity> {
    const handlingOfficerIds = [user.userId, ...input.coOfficerIds.filter((id) => id !== user.userId)];
    const now = new Date();
    // Opened when it happened (a case is often entered after the fact), never later than now, and late only with a reason.
    const openedAt = input.occurredAt ? new Date(input.occurredAt) : now;
    if (openedAt.getTime() > now.getTime() + 5 * 60_000) {
      throw new RecordingError('STEP_IN_FUTURE', '立案时间不能晚于当前时间', 'invalid');
    }
    const { policy } = await this.procedures.forCase({ agencyId: user.agencyId });
    checkLateEntry({ occurredAt: openedAt, recordedAt: now, lateEntryReason: input.lateEntryReason }, policy);
    // Numbered in the year it was opened (立案), which for a case entered after the fact may be the year before.
    await this.cases.ensureCaseNumberCounter(user.agencyId, openedAt);
    return this.unitOfWork.run(async (tx) => {
      await this.proofs.spendIn(tx.manager, proofs);
      const id = randomUUID();
      const opened = Case.open({
        id,
        agencyId: user.agencyId,
        caseNumber: await this.cases.nextCaseNumber(tx, user.agencyId, input.regionCode, openedAt),
        domain: input.domain,
        regionCode: input.regionCode,
        procedure: input.procedure,
        allegedViolation: input.allegedViolation,
        legalBasis: input.legalBasis,
        handlingOfficerIds,
        requiresCollectiveDecision: input.requiresCollectiveDecision ?? false,
        openedAt,
        openedBy: user.userId,
        party: { kind: input.party.kind, name: input.party.name, isMinor: input.party.isMinor ?? false },
      });
      // The case's trace is the opening request's: its later steps, on any request, continue it (CaseTraceInterceptor).
      await this.cases.insert(
        tx,
        opened,
        {
          kind: input.party.kind,
          name: input.party.name,
          identifierEncrypted: this.cipher.encrypt(input.party.identifier, `case_parties.identifier:${id}`),
          contactEncrypted: this.cipher.encryptJson(input.party.contact, `case_parties.contact:${id}`),
          isMinor: input.party.isMinor ?? false,
        },
        traceparentOf(),
      );
      await this.events.publish(tx, opened.pullEvents());
      await this.appender.append(tx, opened, {
        stepType: 'opening',
        occurredAt: openedAt,
        recordedBy: user.userId,
        place: input.place ?? '',
        actingOfficerIds: handlingOfficerIds,
        certificates: toShown(presented),
        fields: {
          caseNumber: opened.state.caseNumber,
          procedure: input.procedure,
          allegedViolation: input.allegedViolation,
          ...(isLateEntry(openedAt, now, policy) ? { [LATE_ENTRY_FIELD]: input.lateEntryReason } : {}),
        },
        text: '',
        evidence: [],
      });
      await keep(tx, { id });
      return { ...opened.state };
    });
  }

  /**
   * Records one procedural step, if the law allows it now, with the certificates the officers showed, spending the
   * co-officers' proofs in the step's own transaction (a step refused spends none). `loaded` is the case as the
   * certificate check's scope read it for this request: used instead of reading it again; a step refused on it (or
   * whose chain head moved meanwhile) is checked once more on the case as it is now.
   */
  async recordStep(
    caseId: string,
    input: RecordStepDto,
    user: AuthenticatedUser,
    presented: PresentedCertificate[],
    proofs: UnspentCoOfficerProofs,
    loaded?: CaseState,
    idempotent?: IdempotentRequest,
  ): Promise<CaseRecord> {
    const shown = { presented, proofs };
    // Sent again under its key (an answer lost on the way back), the step is answered with its record, not recorded twice.
    const replay = (recordedIn: string | null, recordId: string) => {
      this.proofs.setAside(proofs);
      return this.recordOf(recordedIn ?? caseId, recordId);
    };
    return this.idempotency.once(idempotent, replay, async (keep) => {
      if (loaded && user.agencyId === loaded.agencyId) {
        try {
          return await this.recordStepOn(caseId, input, user, shown, copyOf(loaded), keep);
        } catch (error) {
          // A refusal (or a moved chain head) may come from a case changed since it was read: decide on it as it is now.
          if (!(error instanceof RecordingError)) throw error;
        }
      }
      return this.recordStepOn(caseId, input, user, shown, undefined, keep);
    });
  }

  private async recordOf(caseId: string, recordId: string): Promise<CaseRecord> {
    const record = await this.caseRecords.byId(caseId, recordId);
    if (!record) throw new Error(`record ${recordId} of case ${caseId}, kept under an idempotency key, is missing`);
    return record;
  }

  private async recordStepOn(
    caseId: string,
    input: RecordStepDto,
    user: AuthenticatedUser,
    { presented, proofs }: { presented: PresentedCertificate[]; proofs: UnspentCoOfficerProofs },
    loaded: CaseState | undefined,
    keep: KeepKey,
  ): Promise<CaseRecord> {
    // First, as the certificate check did: a proof spent meanwhile is refused before the step's rules are asked.
    return this.unitOfWork.run((tx) =>
      this.proofs.spendWith(tx.manager, proofs, async () => {
        const record = await this.recordStepIn(tx, caseId, input, user, presented, loaded);
        await keep(tx, record);
        return record;
      }),
    );
  }

  private async recordStepIn(
    tx: Transaction,
    caseId: string,
    input: RecordStepDto,
    user: AuthenticatedUser,
    presented: PresentedCertificate[],
    loaded: CaseState | undefined,
  ): Promise<CaseRecord> {
    const aggregate = Case.restore(loaded ?? (await this.access.forAction(user, caseId, tx)));
    const occurredAt = new Date(input.occurredAt);
    // Steps are often logged after the fact, never before they happen (a few minutes of clock drift allowed).
    if (occurredAt.getTime() > Date.now() + 5 * 60_000) {
      throw new RecordingError('STEP_IN_FUTURE', '执法环节的发生时间不能晚于当前时间', 'invalid');
    }
    const endedAt = input.endedAt ? new Date(input.endedAt) : occurredAt;
    if (endedAt < occurredAt) throw new RecordingError('VALIDATION_FAILED', 'endedAt 不能早于 occurredAt', 'invalid');
    const fields = { ...(input.fields ?? {}) };
    const actingOfficerIds = [user.userId, ...(input.coOfficerIds ?? []).filter((id) => id !== user.userId)];
    const procedureState = await this.appender.withProcedureState(tx, aggregate);
    const { partyKind } = procedureState;
    const procedure = await this.procedures.forCase(aggregate.state, tx);
    const recordedAt = new Date();
    const step = {
      stepType: input.stepType,
      occurredAt,
      actingOfficerIds,
      fields,
      place: input.place,
      recordedAt,
      lateEntryReason: input.lateEntryReason,
    };
    aggregate.checkStepOnState(procedure, step);
    // What the rules judged goes into the record (a notice's hearing right); a late entry keeps its reason (Art. 47).
    Object.assign(fields, procedure.derivedFields({ state: procedureState }, step));
    if (isLateEntry(occurredAt, recordedAt, procedure.policy)) fields[LATE_ENTRY_FIELD] = input.lateEntryReason;
    if (input.stepType === 'correction' || input.correctsRecordId) await this.checkCorrection(tx, caseId, input.correctsRecordId);
    const { evidence, gap } = await this.checkAudioVideo(tx, aggregate, input, occurredAt);
    // A gap waits for the agency head's or a supervisor's approval (AudioVideoGapsService) before review or closing.
    if (gap) fields[GAP_JUSTIFICATION_FIELD] = input.audioVideoGapJustification;

    const record = await this.appender.append(tx, aggregate, {
      stepType: input.stepType,
      occurredAt,
      recordedBy: user.userId,
      place: input.place,
      actingOfficerIds,
      certificates: toShown(presented),
      fields,
      text: input.text ?? '',
      evidence,
      correctsRecordId: input.correctsRecordId ?? null,
    });
    aggregate.stepRecorded(input.stepType, record, partyKind, procedure.thresholds);
    await this.cases.saveChanges(tx, aggregate.state, aggregate.pullChanges());
    await this.events.publish(tx, aggregate.pullEvents());
    return record;
  }

  /**
   * Art. 48: the one path by which a decision is changed, revoked, or confirmed illegal or void, also after the case
   * was closed: the alteration record goes through the aggregate, which moves the decision's standing (its course)
   * and raises DecisionAltered (the outbox event that withdraws a publication; a new archive of a closed case).
   */
  async alterDecision(
    caseId: string,
    input: AlterDecisionDto,
    user: AuthenticatedUser,
    presented: PresentedCertificate[],
    idempotent?: IdempotentRequest,
  ): Promise<CaseRecord> {
    // A change sent again under its key is answered with its record: the decision is not changed twice.
    const replay = (alteredIn: string | null, recordId: string) => this.recordOf(alteredIn ?? caseId, recordId);
    return this.idempotency.once(idempotent, replay, (keep) => this.alterDecisionOnce(caseId, input, user, presented, keep));
  }

  private async alterDecisionOnce(
    caseId: string,
    input: AlterDecisionDto,
    user: AuthenticatedUser,
    presented: PresentedCertificate[],
    keep: KeepKey,
  ): Promise<CaseRecord> {
    return this.unitOfWork.run(async (tx) => {
      const aggregate = Case.restore(await this.access.forAction(user, caseId, tx));
      const state = await this.appender.withProcedureState(tx, aggregate);
      const { status, legalReviewStatus } = aggregate.state;
      // A change states the decision as changed (published in the old one's place); the rest state nothing of it.
      const fields = alterationFields({ ...input });
      const course = courseFactsOf({ status, legalReviewStatus, state });
      checkAlteration(course, { kind: input.kind, fields });
      const decision = course.course.decision;
      const decisionRecord = decision ? await this.caseRecords.latestOfType(tx, caseId, 'decision') : undefined;
      const record = await this.appender.append(tx, aggregate, {
        stepType: 'decision-alteration',
        occurredAt: new Date(),
        recordedBy: user.userId,
        place: '',
        actingOfficerIds: [user.userId],
        certificates: toShown(presented),
        fields: {
          ...fields,
          decisionRecordId: decision?.recordId ?? null,
          decisionNumber: String(decisionRecord?.fields['decisionNumber'] ?? ''),
          ...(input.basis ? { basis: input.basis } : {}),
        },
        text: input.reason,
        evidence: [],
      });
      aggregate.stepRecorded('decision-alteration', record, state.partyKind);
      await this.cases.saveChanges(tx, aggregate.state, aggregate.pullChanges());
      await this.events.publish(tx, aggregate.pullEvents());
      await keep(tx, record);
      return record;
    });
  }

  async get(caseId: string, user: AuthenticatedUser) {
    const caseRow = await this.access.forReading(user, caseId);
    const party = await this.cases.party(caseId);
    // The party's ID number and contacts only for the officers with a role in the case, and every such read logged.
    const revealed = CaseAccessService.canSeePartyData(user, caseRow);
    if (revealed) {
      await this.partyReads.insert({
        id: randomUUID(),
        caseId,
        agencyId: caseRow.agencyId,
        regionCode: caseRow.regionCode,
        userId: user.userId,
        readAt: new Date(),
      });
    }
    // The seal is the service's own check on its row, nothing a reader needs.
    const { stateSeal: _seal, ...shown } = caseRow;
    return {
      ...shown,
      // Art. 48: how the decision stands (in-force, changed, revoked, confirmed-illegal, confirmed-void); null undecided.
      decisionStanding: caseRow.procedureState?.course?.decision?.standing ?? null,
      party: {
        kind: party.kind,
        name: party.name,
        isMinor: party.isMinor,
        ...(revealed
          ? {
              identifier: this.cipher.decrypt(party.identifierEncrypted, `case_parties.identifier:${caseId}`),
              contact: this.cipher.decryptJson(party.contactEncrypted, `case_parties.contact:${caseId}`),
            }
          : {}),
      },
    };
  }

  /** The cases the user may read (as CaseAccessService.canRead says), newest first, a page at a time, in one query. */
  async list(user: AuthenticatedUser, page: { after?: KeysetPosition; limit: number }): Promise<KeysetPage<CaseEntity>> {
    if (user.roles.includes('system-admin')) return this.cases.page({ all: true }, page);
    const supervised =
      user.roles.includes('supervisor') && user.supervisedRegionCode && isDivisionCode(user.supervisedRegionCode)
        ? coveragePrefix(user.supervisedRegionCode)
        : undefined;
    return this.cases.page({ agencyId: user.agencyId || undefined, regionPrefix: supervised }, page);
  }

  async records(caseId: string, user: AuthenticatedUser): Promise<CaseRecord[]> {
    await this.access.forReading(user, caseId);
    return this.caseRecords.listOfCase(caseId);
  }

  async setAudioVideoSteps(agencyId: string, stepTypes: StepType[]): Promise<string[]> {
    await this.audioVideo.replace(agencyId, stepTypes);
    return this.audioVideoSteps(agencyId);
  }

  async audioVideoSteps(agencyId: string): Promise<string[]> {
    return this.audioVideo.stepsOf(agencyId);
  }

  private async checkCorrection(tx: Transaction, caseId: string, correctsRecordId: string | undefined): Promise<void> {
    const corrected = correctsRecordId ? await this.caseRecords.stepTypeOf(caseId, correctsRecordId, tx) : undefined;
    if (!corrected) throw new RecordingError('CORRECTED_RECORD_NOT_FOUND', '更正须指明本案中被更正的记录', 'refused');
    // Art. 48: a decision is altered by the alteration, never corrected by a correction record.
    checkCorrectionTarget(corrected);
  }

  /**
   * Steps on the agency's full-recording list need sealed audio or video covering them from start to end, or a
   * written justification of the gap (国办发〔2018〕118号). Returns the evidence to chain and whether there is a gap.
   */
  private async checkAudioVideo(tx: Transaction, aggregate: Case, input: RecordStepDto, occurredAt: Date) {
    const items = await this.evidence.ofCase(aggregate.id, input.evidenceIds ?? [], tx);
    if (items.length !== (input.evidenceIds?.length ?? 0)) {
      throw new RecordingError('EVIDENCE_NOT_FOUND', '所引用的音像证据不存在或不属于本案', 'refused');
    }
    const gap = audioVideoGapOf({
      required: (await this.audioVideo.stepsOf(aggregate.state.agencyId, tx)).includes(input.stepType),
      items,
      occurredAt,
      endedAt: input.endedAt ? new Date(input.endedAt) : undefined,
      justification: input.audioVideoGapJustification,
    });
    return { evidence: items.map((item) => ({ evidenceId: item.id, sha256: item.sha256 })), gap };
  }
}
