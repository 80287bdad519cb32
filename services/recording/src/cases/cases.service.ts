import { HttpStatus, Injectable, Logger } from '@nestjs/common';
import type { AuthenticatedUser } from '@enforcement/auth';
import type { PresentedCertificate } from '@enforcement/certificates';
import { Events, recordingV1, timestampFromDate } from '@enforcement/contracts';
import { TransactionalOutbox, type Transaction } from '@enforcement/events';
import { DomainError } from '@enforcement/service-runtime';
import { randomUUID } from 'node:crypto';
import { DataSource, In, type EntityManager } from 'typeorm';
import { CaseArchiver } from '../archive/case-archiver';
import { chinaDayOf } from '@enforcement/calendar';
import { GENESIS_HASH } from '../case-core/hash-chain';
import { FieldCipher } from '../crypto/field-cipher';
import { EvidenceItemEntity } from '../evidence/evidence-item.entity';
import { coversWindow } from '../case-core/audio-video-coverage';
import { AudioVideoRequirementEntity } from '../procedure/audio-video-requirement.entity';
import { penaltiesOf } from '../case-core/case-procedure';
import { hearingAvailable } from '../case-core/penalties';
import { DEFAULT_AUDIO_VIDEO_STEPS, type StepType } from '../case-core/step-types';
import { CaseRecordEntity } from '../records/case-record.entity';
import { RecordAppender } from '../records/record-appender';
import { CaseAccess } from './case-access.service';
import { CaseNumberSequenceEntity } from './case-number-sequence.entity';
import { CasePartyEntity } from './case-party.entity';
import { CaseEntity } from './case.entity';
import type { AlterDecisionDto, OpenCaseDto, RecordStepDto } from './case.dto';
import { ProcedureFactory } from './procedure.factory';

const PARTY_KINDS = { 'natural-person': recordingV1.PartyKind.NATURAL_PERSON, organisation: recordingV1.PartyKind.ORGANISATION };
const ALTERATIONS = {
  changed: recordingV1.AlterationKind.CHANGED,
  revoked: recordingV1.AlterationKind.REVOKED,
  'confirmed-illegal': recordingV1.AlterationKind.CONFIRMED_ILLEGAL,
  'confirmed-void': recordingV1.AlterationKind.CONFIRMED_VOID,
};

/** The penalties of a notice or decision as they travel in events. */
function penaltyMessages(fields: Record<string, unknown>) {
  return penaltiesOf(fields).map((p) => ({ kind: p.kind, amountFen: BigInt(p.amountFen ?? 0), description: '' }));
}

function toShown(presented: readonly PresentedCertificate[]) {
  return presented.map(({ officerId, certificateId, number }) => ({ officerId, certificateId, number }));
}

@Injectable()
export class CasesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: TransactionalOutbox,
    private readonly appender: RecordAppender,
    private readonly access: CaseAccess,
    private readonly cipher: FieldCipher,
    private readonly procedures: ProcedureFactory,
    private readonly archiver: CaseArchiver,
  ) {}

  private readonly logger = new Logger(CasesService.name);
  /** Agencies whose case-number counter row exists. */
  private readonly counters = new Set<string>();

  /** Opens a case (立案): the case, its party (sensitive fields encrypted) and the opening record. */
  async open(input: OpenCaseDto, user: AuthenticatedUser, presented: PresentedCertificate[]): Promise<CaseEntity> {
    const handlingOfficerIds = [user.userId, ...input.coOfficerIds.filter((id) => id !== user.userId)];
    await this.ensureCaseNumberCounter(user.agencyId);
    return this.outbox.run(async (tx) => {
      const now = new Date();
      const id = randomUUID();
      const caseRow: CaseEntity = {
        id,
        agencyId: user.agencyId,
        caseNumber: await this.nextCaseNumber(tx, user.agencyId, input.regionCode, now),
        domain: input.domain,
        regionCode: input.regionCode,
        procedure: input.procedure,
        status: 'open',
        allegedViolation: input.allegedViolation,
        legalBasis: input.legalBasis,
        handlingOfficerIds,
        requiresCollectiveDecision: input.requiresCollectiveDecision ?? false,
        legalReviewStatus: 'not-required',
        openedAt: now,
        openedBy: user.userId,
        closedAt: null,
        recordCount: 0,
        chainHead: GENESIS_HASH,
      };
      await tx.manager.insert(CaseEntity, caseRow);
      await tx.manager.insert(CasePartyEntity, {
        caseId: id,
        kind: input.party.kind,
        name: input.party.name,
        identifierEncrypted: this.cipher.encrypt(input.party.identifier, `case_parties.identifier:${id}`),
        contactEncrypted: this.cipher.encryptJson(input.party.contact, `case_parties.contact:${id}`),
        isMinor: input.party.isMinor ?? false,
      });
      await tx.emit(
        Events.CaseOpened,
        {
          caseId: id,
          agencyId: user.agencyId,
          caseNumber: caseRow.caseNumber,
          domain: input.domain,
          regionCode: input.regionCode,
          party: { kind: PARTY_KINDS[input.party.kind], name: input.party.name, isMinor: input.party.isMinor ?? false },
          allegedViolation: input.allegedViolation,
          legalBasis: input.legalBasis,
          handlingOfficerIds,
          procedure: input.procedure === 'simplified' ? recordingV1.Procedure.SIMPLIFIED : recordingV1.Procedure.GENERAL,
          openedAt: timestampFromDate(now),
        },
        { partitionKey: id, agencyId: user.agencyId, actingUserId: user.userId },
      );
      await this.appender.append(tx, caseRow, {
        stepType: 'opening',
        occurredAt: now,
        recordedBy: user.userId,
        place: input.place ?? '',
        actingOfficerIds: handlingOfficerIds,
        certificates: toShown(presented),
        fields: { caseNumber: caseRow.caseNumber, procedure: input.procedure, allegedViolation: input.allegedViolation },
        text: '',
        evidence: [],
      });
      return caseRow;
    });
  }

  /** Records one procedural step, if the law allows it now, with the certificates the officers showed. */
  async recordStep(caseId: string, input: RecordStepDto, user: AuthenticatedUser, presented: PresentedCertificate[]) {
    const result = await this.outbox.run(async (tx) => {
      const caseRow = await this.access.forAction(user, caseId, tx.manager);
      const occurredAt = new Date(input.occurredAt);
      // Steps are often logged after the fact, never before they happen (a few minutes of clock drift allowed).
      if (occurredAt.getTime() > Date.now() + 5 * 60_000) {
        throw new DomainError('STEP_IN_FUTURE', '执法环节的发生时间不能晚于当前时间', HttpStatus.BAD_REQUEST);
      }
      const endedAt = input.endedAt ? new Date(input.endedAt) : occurredAt;
      if (endedAt < occurredAt) throw new DomainError('VALIDATION_FAILED', 'endedAt 不能早于 occurredAt', HttpStatus.BAD_REQUEST);
      const fields = { ...(input.fields ?? {}) };
      const actingOfficerIds = [user.userId, ...(input.coOfficerIds ?? []).filter((id) => id !== user.userId)];
      const facts = await this.facts(tx, caseRow);
      const procedure = await this.procedures.forCase(caseRow);
      procedure.check(facts, { stepType: input.stepType, occurredAt, actingOfficerIds, fields });
      if (input.stepType === 'correction' || input.correctsRecordId) await this.checkCorrection(tx, caseId, input.correctsRecordId);
      const evidence = await this.checkAudioVideo(tx, caseRow, input, occurredAt, endedAt);
      if (input.audioVideoGapJustification) fields['audioVideoGapJustification'] = input.audioVideoGapJustification;

      const record = await this.appender.append(tx, caseRow, {
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
      await this.applyEffects(tx, caseRow, input.stepType, record, facts.partyKind);
      return { caseRow, record };
    });
    if (input.stepType === 'closing') await this.archiveClosed(caseId);
    return result.record;
  }

  /**
   * Art. 47: the closed case's record is archived (ZIP with the chain and the evidence manifest). The
   * case is closed whatever happens here; a failed archive is logged and can be made again on request.
   */
  private async archiveClosed(caseId: string): Promise<void> {
    try {
      await this.archiver.archive(caseId);
    } catch (error) {
      this.logger.error(`archiving closed case ${caseId} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  async alterDecision(caseId: string, input: AlterDecisionDto, user: AuthenticatedUser, presented: PresentedCertificate[]) {
    return this.outbox.run(async (tx) => {
      const caseRow = await this.access.forAction(user, caseId, tx.manager);
      const decision = await tx.manager.findOne(CaseRecordEntity, { where: { caseId, stepType: 'decision' }, order: { sequence: 'DESC' } });
      if (!decision) throw new DomainError('DECISION_REQUIRED', '尚未作出行政处罚决定', HttpStatus.UNPROCESSABLE_ENTITY);
      const now = new Date();
      const record = await this.appender.append(tx, caseRow, {
        stepType: 'decision-alteration',
        occurredAt: now,
        recordedBy: user.userId,
        place: '',
        actingOfficerIds: [user.userId],
        certificates: toShown(presented),
        fields: { kind: input.kind, decisionRecordId: decision.id },
        text: input.reason,
        evidence: [],
      });
      // Art. 48: a published decision that is changed, revoked or confirmed illegal or void is withdrawn.
      await tx.emit(
        Events.DecisionAltered,
        {
          caseId,
          decisionNumber: String(decision.fields['decisionNumber'] ?? ''),
          kind: ALTERATIONS[input.kind],
          reason: input.reason,
          alteredAt: timestampFromDate(now),
        },
        { partitionKey: caseId, agencyId: caseRow.agencyId, actingUserId: user.userId },
      );
      return record;
    });
  }

  async get(caseId: string, user: AuthenticatedUser) {
    const caseRow = await this.access.forReading(user, caseId);
    const party = await this.dataSource.getRepository(CasePartyEntity).findOneByOrFail({ caseId });
    // Identifiers and contacts are for the case's own agency; supervisors see the party by name only.
    const ownAgency = user.agencyId === caseRow.agencyId;
    return {
      ...caseRow,
      party: {
        kind: party.kind,
        name: party.name,
        isMinor: party.isMinor,
        ...(ownAgency
          ? {
              identifier: this.cipher.decrypt(party.identifierEncrypted, `case_parties.identifier:${caseId}`),
              contact: this.cipher.decryptJson(party.contactEncrypted, `case_parties.contact:${caseId}`),
            }
          : {}),
      },
    };
  }

  async list(user: AuthenticatedUser, limit = 50): Promise<CaseEntity[]> {
    const repository = this.dataSource.getRepository(CaseEntity);
    if (user.agencyId) return repository.find({ where: { agencyId: user.agencyId }, order: { openedAt: 'DESC' }, take: limit });
    const all = await repository.find({ order: { openedAt: 'DESC' }, take: 1000 });
    return all.filter((found) => CaseAccess.canRead(user, found)).slice(0, limit);
  }

  async records(caseId: string, user: AuthenticatedUser): Promise<CaseRecordEntity[]> {
    await this.access.forReading(user, caseId);
    return this.dataSource.getRepository(CaseRecordEntity).find({ where: { caseId }, order: { sequence: 'ASC' } });
  }

  async setAudioVideoSteps(agencyId: string, stepTypes: StepType[]): Promise<string[]> {
    await this.dataSource.transaction(async (manager) => {
      await manager.delete(AudioVideoRequirementEntity, { agencyId });
      if (stepTypes.length > 0) await manager.insert(AudioVideoRequirementEntity, stepTypes.map((stepType) => ({ agencyId, stepType })));
    });
    return this.audioVideoSteps(agencyId);
  }

  /** Inside a transaction pass its manager: a second pool connection per request can exhaust the pool. */
  async audioVideoSteps(agencyId: string, manager: EntityManager = this.dataSource.manager): Promise<string[]> {
    const extra = await manager.findBy(AudioVideoRequirementEntity, { agencyId });
    return [...new Set([...DEFAULT_AUDIO_VIDEO_STEPS, ...extra.map((row) => row.stepType)])];
  }

  private async facts(tx: Transaction, caseRow: CaseEntity) {
    const [steps, party] = await Promise.all([
      tx.manager.find(CaseRecordEntity, {
        where: { caseId: caseRow.id },
        order: { sequence: 'ASC' },
        select: { id: true, stepType: true, occurredAt: true, actingOfficerIds: true, fields: true },
      }),
      tx.manager.findOneByOrFail(CasePartyEntity, { caseId: caseRow.id }),
    ]);
    return {
      procedure: caseRow.procedure,
      status: caseRow.status,
      partyKind: party.kind,
      legalReviewStatus: caseRow.legalReviewStatus,
      requiresCollectiveDecision: caseRow.requiresCollectiveDecision,
      handlingOfficerIds: caseRow.handlingOfficerIds,
      steps,
    };
  }

  private async checkCorrection(tx: Transaction, caseId: string, correctsRecordId: string | undefined): Promise<void> {
    if (!correctsRecordId || !(await tx.manager.existsBy(CaseRecordEntity, { caseId, id: correctsRecordId }))) {
      throw new DomainError('CORRECTED_RECORD_NOT_FOUND', '更正须指明本案中被更正的记录', HttpStatus.UNPROCESSABLE_ENTITY);
    }
  }

  /** Steps on the full-recording list cannot be recorded without sealed audio/video covering them. */
  private async checkAudioVideo(tx: Transaction, caseRow: CaseEntity, input: RecordStepDto, from: Date, to: Date) {
    const items = input.evidenceIds?.length
      ? await tx.manager.findBy(EvidenceItemEntity, { id: In(input.evidenceIds), caseId: caseRow.id })
      : [];
    if (items.length !== (input.evidenceIds?.length ?? 0)) {
      throw new DomainError('EVIDENCE_NOT_FOUND', '所引用的音像证据不存在或不属于本案', HttpStatus.UNPROCESSABLE_ENTITY);
    }
    const required = (await this.audioVideoSteps(caseRow.agencyId, tx.manager)).includes(input.stepType);
    if (required && !coversWindow(items, from, to) && !input.audioVideoGapJustification) {
      throw new DomainError(
        'AUDIO_VIDEO_REQUIRED',
        '该环节须全程音像记录：请关联覆盖该环节的音像证据，或书面说明未能全程记录的理由',
        HttpStatus.UNPROCESSABLE_ENTITY,
        { article: '国办发〔2018〕118号', stepType: input.stepType },
      );
    }
    return items.map((item) => ({ evidenceId: item.id, sha256: item.sha256 }));
  }

  /** What a recorded step changes in the case itself, and the events other contexts need. */
  private async applyEffects(tx: Transaction, caseRow: CaseEntity, stepType: StepType, record: CaseRecordEntity, partyKind: CasePartyEntity['kind']) {
    const emitOptions = { partitionKey: caseRow.id, agencyId: caseRow.agencyId, actingUserId: record.recordedBy };
    if (stepType === 'notice' || stepType === 'hearing') {
      // Art. 58: heavy penalties (and those that went through a hearing) need legal review before deciding.
      const needsReview =
        stepType === 'hearing' || record.fields['requiresLegalReview'] === true || hearingAvailable(penaltiesOf(record.fields), partyKind);
      if (needsReview && caseRow.legalReviewStatus === 'not-required') {
        caseRow.legalReviewStatus = 'required';
        await tx.manager.update(CaseEntity, { id: caseRow.id }, { legalReviewStatus: 'required' });
      }
    }
    if (stepType === 'legal-review') {
      const notice = await tx.manager.findOne(CaseRecordEntity, { where: { caseId: caseRow.id, stepType: 'notice' }, order: { sequence: 'DESC' } });
      caseRow.legalReviewStatus = 'requested';
      await tx.manager.update(CaseEntity, { id: caseRow.id }, { legalReviewStatus: 'requested' });
      await tx.emit(
        Events.DecisionProposed,
        {
          caseId: caseRow.id,
          penalties: penaltyMessages(notice?.fields ?? {}),
          facts: String(notice?.fields['facts'] ?? caseRow.allegedViolation),
          legalBasis: caseRow.legalBasis,
          requiresLegalReview: true,
        },
        emitOptions,
      );
    }
    if (stepType === 'decision') {
      caseRow.status = 'decided';
      await tx.manager.update(CaseEntity, { id: caseRow.id }, { status: 'decided' });
      const party = await tx.manager.findOneByOrFail(CasePartyEntity, { caseId: caseRow.id });
      await tx.emit(
        Events.DecisionIssued,
        {
          caseId: caseRow.id,
          decisionNumber: String(record.fields['decisionNumber'] ?? ''),
          penalties: penaltyMessages(record.fields),
          factsSummary: String(record.fields['facts'] ?? caseRow.allegedViolation),
          legalBasis: caseRow.legalBasis,
          party: { kind: PARTY_KINDS[party.kind], name: party.name, isMinor: party.isMinor },
          domain: caseRow.domain,
          decidedAt: timestampFromDate(record.occurredAt),
        },
        emitOptions,
      );
    }
    if (stepType === 'closing') {
      caseRow.status = 'closed';
      await tx.manager.update(CaseEntity, { id: caseRow.id }, { status: 'closed', closedAt: record.recordedAt });
      await tx.emit(
        Events.CaseClosed,
        { caseId: caseRow.id, closedAt: timestampFromDate(record.recordedAt), chainHead: caseRow.chainHead },
        emitOptions,
      );
    }
  }

  /**
   * Creates the agency's counter row in a statement of its own, before the opening transaction. Created inside it,
   * the first openings of an agency at the same moment deadlocked on MariaDB: each one's update of the missing row
   * locked the gap the others' insert needed.
   */
  private async ensureCaseNumberCounter(agencyId: string): Promise<void> {
    if (this.counters.has(agencyId)) return;
    if (!(await this.dataSource.getRepository(CaseNumberSequenceEntity).existsBy({ agencyId }))) {
      const existing = await this.dataSource.getRepository(CaseEntity).countBy({ agencyId });
      await this.dataSource.createQueryBuilder().insert().into(CaseNumberSequenceEntity).values({ agencyId, lastValue: existing }).orIgnore().execute();
    }
    this.counters.add(agencyId);
  }

  /**
   * `<region>-<year>-<agency><sequence>`: the sequence counts the agency's cases, taken under the row lock of its
   * counter so that officers opening cases at the same moment never get the same number. The counter starts from
   * the cases the agency already has, so numbers given before it existed are not given again.
   */
  private async nextCaseNumber(tx: Transaction, agencyId: string, regionCode: string, now: Date): Promise<string> {
    const manager = tx.manager;
    const bump = () =>
      manager
        .createQueryBuilder()
        .update(CaseNumberSequenceEntity)
        .set({ lastValue: () => 'last_value + 1' })
        .where('agency_id = :agencyId', { agencyId })
        .execute();
    if (!(await bump()).affected) {
      const existing = await manager.countBy(CaseEntity, { agencyId });
      await manager.createQueryBuilder().insert().into(CaseNumberSequenceEntity).values({ agencyId, lastValue: existing }).orIgnore().execute();
      await bump();
    }
    const { lastValue } = await manager.findOneByOrFail(CaseNumberSequenceEntity, { agencyId });
    const year = chinaDayOf(now).slice(0, 4);
    return `${regionCode}-${year}-${agencyId.slice(0, 8).toUpperCase()}${String(lastValue).padStart(5, '0')}`;
  }
}
