import { Inject, Injectable } from '@nestjs/common';
import type { AuthenticatedUser } from '@enforcement/auth';
import { CalendarFollowerService } from '@enforcement/calendar-follower';
import { canonicalJson } from '@enforcement/canonical-json';
import { Events, timestampFromDate } from '@enforcement/contracts';
import { TransactionalOutbox, type Emit } from '@enforcement/events';
import { FieldCipher } from '@enforcement/field-cipher';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { AgencyPublicitySettingsRepository } from '../agencies/agency-publicity-settings.repository';
import { PublicAgencyRepository } from '../agencies/public-agency.repository';
import { draftDisclosure, publishedDecision, redactDecision, type IssuedDecision } from '../disclosure-core/disclosure';
import { sha256Hex } from '../disclosure-core/merkle';
import { publicationDueAt } from '../disclosure-core/publication-deadline';
import { type PublicationPeriodSettings } from '../disclosure-core/publication-period';
import { PublicityError } from '../disclosure-core/publicity.error';
import { redact, type RedactionRules } from '../disclosure-core/redaction';
import { searchableText } from '../disclosure-core/search-terms';
import { publicWithdrawalReason, withdrawalDueAt, type AlterationKind } from '../disclosure-core/withdrawal';
import { assertOwnAgency, queueScopeOf } from '../http/access';
import type { DisclosureEntity, DisclosureOriginal, DisclosureStatus } from './disclosure.entity';
import { DisclosureRepository } from './disclosure.repository';

export const REDACTION_RULES = Symbol('REDACTION_RULES');
export const PUBLICATION_PERIODS = Symbol('PUBLICATION_PERIODS');

/** A decision changed, revoked, or confirmed illegal or void (DecisionAltered, checked). */
export interface DecisionAlteration {
  caseId: string;
  decisionNumber: string;
  kind: AlterationKind;
  reason: string;
  alteredAt: Date;
  actingUserId: string;
  /** For a change: the decision as changed, published in the withdrawn one's place. */
  changed?: ChangedDecision;
}

/** A decision as changed (DecisionAltered.changed): what replaces the published decision. */
export interface ChangedDecision {
  penalties: Array<{ kind: string; amountFen: number; description: string }>;
  facts: string;
  legalBasis: string;
  /** The change decision's own number; empty when it keeps the altered decision's. */
  decisionNumber: string;
  decisionText: string;
  /** Hash of the alteration record in the case's chain. */
  chainHead: string;
}

/** What the reviewer sees: the original beside the redacted text, where text was removed, and the history. */
export interface DisclosureReview {
  id: string;
  caseId: string;
  caseNumber: string;
  decisionNumber: string;
  agencyId: string;
  status: DisclosureStatus;
  notPublishedCode: string | null;
  decidedAt: string;
  dueAt: string;
  dueCoverage: string;
  overdue: boolean;
  original: DisclosureOriginal;
  redacted: DisclosureEntity['redacted'];
  findings: DisclosureEntity['findings'];
  published: DisclosureEntity['published'];
  withdrawalReason: string | null;
  history?: Array<{ action: string; by: string; at: string; detail: Record<string, unknown> }>;
}

function notFound(): PublicityError {
  return new PublicityError('DISCLOSURE_NOT_FOUND', '公示信息不存在', 'not-found');
}

/**
 * After enforcement (事后公开): a decision issued in recording becomes a disclosure with its deadline and redacted
 * text; the agency's reviewer approves it and it goes public (DisclosurePublished); an alteration withdraws it with
 * its reason (Art. 48, DisclosureWithdrawn); one past its deadline is announced (DisclosureOverdue); one past its
 * period leaves the portal.
 */
@Injectable()
export class DisclosuresService {
  constructor(
    private readonly outbox: TransactionalOutbox,
    private readonly disclosures: DisclosureRepository,
    private readonly agencies: PublicAgencyRepository,
    private readonly agencySettings: AgencyPublicitySettingsRepository,
    private readonly calendar: CalendarFollowerService,
    @Inject(REDACTION_RULES) private readonly rules: RedactionRules,
    @Inject(PUBLICATION_PERIODS) private readonly periods: PublicationPeriodSettings,
    private readonly cipher: FieldCipher,
  ) {}

  /** The original as recording sent it, sealed with the field key (bound to the disclosure's id). */
  private seal(id: string, original: DisclosureOriginal): string {
    return this.cipher.encryptJson(original, `disclosures.original:${id}`);
  }

  private originalOf(row: DisclosureEntity): DisclosureOriginal {
    return this.cipher.decryptJson<DisclosureOriginal>(row.originalSealed, `disclosures.original:${row.id}`);
  }

  /** DecisionIssued: a disclosure to review, or a record that it is never published. Idempotent per decision. */
  async receiveDecision(manager: EntityManager, decision: IssuedDecision): Promise<void> {
    if (await this.disclosures.byCaseDecision(manager, decision.caseId, decision.decisionNumber)) return;
    await this.insertDisclosure(manager, decision, 'recording');
  }

  /** A new disclosure of a decision: its deadline, redaction and eligibility, waiting for review (or never published). */
  private async insertDisclosure(
    manager: EntityManager,
    decision: IssuedDecision,
    by: string,
    replaces?: DisclosureEntity,
  ): Promise<DisclosureEntity> {
    const draft = draftDisclosure(decision, this.calendar.calendar(), this.rules);
    const now = new Date();
    const id = randomUUID();
    const row: DisclosureEntity = {
      id,
      caseId: decision.caseId,
      agencyId: decision.agencyId,
      regionCode: decision.regionCode,
      domain: decision.domain,
      caseNumber: decision.caseNumber,
      decisionNumber: decision.decisionNumber,
      category: decision.category,
      status: draft.eligibility.publish ? 'pending-review' : 'not-published',
      notPublishedCode: draft.eligibility.publish ? null : draft.eligibility.code,
      confidentiality: decision.confidentiality,
      partyKind: decision.party.kind,
      partyCreditCode: decision.party.kind === 'organisation' ? decision.party.creditCode || null : null,
      penaltyKinds: [...new Set(decision.penalties.map((p) => p.kind))].join(','),
      fineFen: decision.penalties.filter((p) => p.kind === 'fine').reduce((t, p) => t + p.amountFen, 0),
      confiscationFen: decision.penalties.filter((p) => p.kind === 'confiscation').reduce((t, p) => t + p.amountFen, 0),
      decidedAt: decision.decidedAt,
      dueAt: draft.dueAt,
      dueCoverage: draft.dueCoverage,
      overdueAnnouncedAt: null,
      originalSealed: this.seal(id, {
        partyName: decision.party.name,
        decisionText: decision.decisionText,
        facts: decision.facts,
        legalBasis: decision.legalBasis,
        violation: decision.violation,
        otherPersons: decision.otherPersons,
        penalties: decision.penalties,
      }),
      redacted: draft.redacted,
      findings: draft.findings,
      chainHead: decision.chainHead,
      reviewedBy: null,
      published: null,
      publishedAt: null,
      publicUntil: null,
      contentDigest: null,
      alteredAt: null,
      withdrawalDueAt: null,
      withdrawnAt: null,
      withdrawalReason: null,
      revision: replaces ? replaces.revision + 1 : 0,
      replacesId: replaces?.id ?? null,
      replacedById: null,
      searchText: '',
      createdAt: now,
      updatedAt: now,
    };
    await this.disclosures.insert(manager, row);
    await this.disclosures.history(manager, id, replaces ? 'received-change' : 'received', by, {
      ...(draft.eligibility.publish
        ? { dueAt: draft.dueAt.toISOString() }
        : { notPublished: draft.eligibility.code, article: draft.eligibility.article }),
      ...(replaces ? { replaces: replaces.id } : {}),
    });
    return row;
  }

  /** The agency's review queue, by deadline; `overdue` lists only those past it. */
  async queue(
    user: AuthenticatedUser,
    options: { status?: DisclosureStatus; overdue?: boolean; limit: number },
  ): Promise<Array<Omit<DisclosureReview, 'original'>>> {
    const now = new Date();
    const rows = await this.disclosures.queue(
      queueScopeOf(user),
      [options.overdue ? 'pending-review' : (options.status ?? 'pending-review')],
      {
        overdueAt: options.overdue ? now : undefined,
        limit: options.limit,
      },
    );
    // The list never carries the original text: only the review of one disclosure does, for its own agency.
    return rows.map((row) => this.summaryOf(row, now));
  }

  async detail(id: string, user: AuthenticatedUser): Promise<DisclosureReview> {
    const row = await this.disclosures.byId(id);
    if (!row) throw notFound();
    assertOwnAgency(user, row.agencyId);
    const history = await this.disclosures.historyOf(id);
    return {
      ...this.reviewOf(row, new Date()),
      history: history.map((h) => ({ action: h.action, by: h.by, at: h.at.toISOString(), detail: h.detail })),
    };
  }

  /**
   * The reviewer approves the redacted text (after naming more persons to remove, if any): it goes public now,
   * its record fixed with its digest, and DisclosurePublished announces it.
   */
  async approve(id: string, user: AuthenticatedUser, input: { otherPersons?: string[] }): Promise<DisclosureReview> {
    return this.outbox.run(async ({ manager, emit }) => {
      const row = await this.disclosures.lockedById(manager, id);
      if (!row) throw notFound();
      assertOwnAgency(user, row.agencyId);
      if (row.status !== 'pending-review') {
        throw new PublicityError('DISCLOSURE_NOT_PENDING', '该公示信息不在待审核状态', 'conflict', { details: { status: row.status } });
      }
      const added = (input.otherPersons ?? []).map((name) => name.trim()).filter((name) => name !== '');
      let original = this.originalOf(row);
      if (added.length > 0) {
        original = { ...original, otherPersons: [...new Set([...original.otherPersons, ...added])] };
        row.originalSealed = this.seal(row.id, original);
        const party = { kind: row.partyKind, name: original.partyName, isMinor: false, creditCode: row.partyCreditCode ?? '' };
        const again = redactDecision({ ...original, party }, this.rules);
        row.redacted = again.redacted;
        row.findings = again.findings;
      }
      const agency = await this.agencies.byId(row.agencyId, manager);
      const own = await this.agencySettings.byAgency(row.agencyId, manager);
      const periods: PublicationPeriodSettings = own
        ? {
            shortMonths: own.shortMonths,
            longMonths: own.longMonths,
            smallFineMaxFen: { 'natural-person': own.smallFinePersonFen, organisation: own.smallFineOrganisationFen },
          }
        : this.periods;
      const now = new Date();
      const published = publishedDecision(
        { ...row, penalties: original.penalties, redacted: row.redacted },
        agency?.name ?? '',
        now,
        periods,
      );
      if (row.replacesId) published.replaces = row.replacesId;
      row.status = 'published';
      row.reviewedBy = user.userId;
      row.published = published;
      row.publishedAt = now;
      row.publicUntil = new Date(published.publicUntil);
      row.contentDigest = sha256Hex(canonicalJson(published));
      await this.disclosures.index(manager, row, searchableText(published));
      await this.disclosures.save(manager, row);
      // The withdrawn decision now points at the change published in its place.
      const replaced = row.replacesId ? await this.disclosures.lockedById(manager, row.replacesId) : null;
      if (replaced) {
        replaced.replacedById = row.id;
        await this.disclosures.save(manager, replaced);
      }
      await this.disclosures.history(manager, id, 'published', user.userId, {
        contentDigest: row.contentDigest,
        addedOtherPersons: added.length,
        late: now.getTime() >= row.dueAt.getTime(),
      });
      await emit(
        Events.DisclosurePublished,
        {
          disclosureId: id,
          caseId: row.caseId,
          agencyId: row.agencyId,
          publishedAt: timestampFromDate(now),
          publicUntil: timestampFromDate(row.publicUntil),
        },
        { partitionKey: row.caseId, agencyId: row.agencyId, actingUserId: user.userId },
      );
      return this.reviewOf(row, now);
    });
  }

  /**
   * DecisionAltered (Art. 48): a published decision is withdrawn at once (the law allows 3 working days; the due
   * time is kept) with its public reason in its place; one not yet published is cancelled; the history stays.
   */
  async alter(manager: EntityManager, emit: Emit, alteration: DecisionAlteration): Promise<void> {
    // The decision as it stands now: the one issued, or the change that replaced it (which may have a number of its own).
    // A change made by this very alteration (or a later one) is not what it alters: a replay must not change it again.
    const rows = (await this.disclosures.byCase(manager, alteration.caseId)).filter(
      (row) =>
        (!alteration.decisionNumber || row.decisionNumber === alteration.decisionNumber || row.replacesId !== null) &&
        !(row.replacesId !== null && row.decidedAt.getTime() >= alteration.alteredAt.getTime()),
    );
    for (const row of rows) {
      if (row.alteredAt) continue; // a redelivery, or altered already
      const now = new Date();
      row.alteredAt = alteration.alteredAt;
      row.withdrawalDueAt = withdrawalDueAt(this.calendar.calendar(), alteration.alteredAt).dueAt;
      const original = this.originalOf(row);
      const subjects = { party: { kind: row.partyKind, name: original.partyName }, otherPersons: original.otherPersons };
      const reason = redact(publicWithdrawalReason(alteration.kind, alteration.reason), subjects, this.rules).text;
      if (row.status === 'published' || row.status === 'expired') {
        const wasPublic = row.status === 'published';
        row.status = 'withdrawn';
        row.withdrawnAt = now;
        row.withdrawalReason = reason;
        await this.disclosures.save(manager, row);
        await this.disclosures.history(manager, row.id, 'withdrawn', alteration.actingUserId || 'recording', {
          kind: alteration.kind,
          withdrawalDueAt: row.withdrawalDueAt.toISOString(),
        });
        if (wasPublic) {
          await emit(
            Events.DisclosureWithdrawn,
            { disclosureId: row.id, caseId: row.caseId, reason, withdrawnAt: timestampFromDate(now) },
            { partitionKey: row.caseId, agencyId: row.agencyId },
          );
        }
      } else if (row.status === 'pending-review') {
        row.status = 'cancelled';
        await this.disclosures.save(manager, row);
        await this.disclosures.history(manager, row.id, 'cancelled', alteration.actingUserId || 'recording', { kind: alteration.kind });
      } else {
        await this.disclosures.save(manager, row);
        await this.disclosures.history(manager, row.id, 'altered', alteration.actingUserId || 'recording', { kind: alteration.kind });
      }
      if (alteration.kind === 'changed' && alteration.changed) {
        await this.insertDisclosure(manager, this.changedDecisionOf(row, alteration.changed, alteration.alteredAt), 'recording', row);
      }
    }
  }

  /**
   * The decision as changed, to publish in the withdrawn one's place: what the change states, the rest as the altered
   * decision had it (party, other persons, confidentiality). Its deadline runs from the change (Art. 48).
   */
  private changedDecisionOf(row: DisclosureEntity, changed: ChangedDecision, alteredAt: Date): IssuedDecision {
    const original = this.originalOf(row);
    return {
      caseId: row.caseId,
      agencyId: row.agencyId,
      caseNumber: row.caseNumber,
      regionCode: row.regionCode,
      domain: row.domain,
      decisionNumber: changed.decisionNumber || row.decisionNumber,
      category: row.category,
      decidedAt: alteredAt,
      party: {
        kind: row.partyKind,
        name: original.partyName,
        isMinor: row.notPublishedCode === 'PARTY_IS_MINOR',
        creditCode: row.partyCreditCode ?? '',
      },
      penalties: changed.penalties,
      decisionText: changed.decisionText,
      facts: changed.facts,
      legalBasis: changed.legalBasis,
      violation: original.violation,
      otherPersons: original.otherPersons,
      confidentiality: row.confidentiality,
      chainHead: changed.chainHead || row.chainHead,
    };
  }

  /**
   * Counts the deadlines of decisions still waiting again on the calendar as it stands now: a year loaded after a
   * decision arrived (CalendarYearLoaded travels apart from the case's events) moves its deadline. Returns how many moved.
   */
  async refreshDeadlines(): Promise<number> {
    const calendar = this.calendar.calendar();
    let moved = 0;
    for (const row of await this.disclosures.queue('all', ['pending-review'], { limit: 5_000 })) {
      const due = publicationDueAt(calendar, row.decidedAt, row.category);
      if (due.dueAt.getTime() === row.dueAt.getTime() && due.coverage === row.dueCoverage) continue;
      await this.outbox.run(async ({ manager }) => {
        const locked = await this.disclosures.lockedById(manager, row.id);
        if (!locked || locked.status !== 'pending-review' || locked.overdueAnnouncedAt) return;
        locked.dueAt = due.dueAt;
        locked.dueCoverage = due.coverage;
        await this.disclosures.save(manager, locked);
        await this.disclosures.history(manager, row.id, 'deadline-recounted', 'system', {
          dueAt: due.dueAt.toISOString(),
          coverage: due.coverage,
        });
        moved++;
      });
    }
    return moved;
  }

  /** Announces each decision past its publication deadline once (DisclosureOverdue). Returns how many. */
  async announceOverdue(now = new Date()): Promise<number> {
    const rows = await this.disclosures.overdueUnannounced(now, 200);
    for (const candidate of rows) {
      await this.outbox.run(async ({ manager, emit }) => {
        const row = await this.disclosures.lockedById(manager, candidate.id);
        if (!row || row.status !== 'pending-review' || row.overdueAnnouncedAt) return;
        row.overdueAnnouncedAt = now;
        await this.disclosures.save(manager, row);
        await this.disclosures.history(manager, row.id, 'overdue', 'system', { dueAt: row.dueAt.toISOString() });
        await emit(
          Events.DisclosureOverdue,
          { caseId: row.caseId, agencyId: row.agencyId, dueAt: timestampFromDate(row.dueAt) },
          { partitionKey: row.caseId, agencyId: row.agencyId },
        );
      });
    }
    return rows.length;
  }

  /** Published decisions past their period leave the portal (their record and history stay). Returns how many. */
  async expire(now = new Date()): Promise<number> {
    const rows = await this.disclosures.pastPeriod(now, 500);
    for (const candidate of rows) {
      await this.outbox.run(async ({ manager }) => {
        const row = await this.disclosures.lockedById(manager, candidate.id);
        if (!row || row.status !== 'published' || !row.publicUntil || row.publicUntil > now) return;
        row.status = 'expired';
        await this.disclosures.save(manager, row);
        await this.disclosures.unindex(manager, row.id);
        await this.disclosures.history(manager, row.id, 'expired', 'system', { publicUntil: row.publicUntil.toISOString() });
      });
    }
    return rows.length;
  }

  private reviewOf(row: DisclosureEntity, now: Date): DisclosureReview {
    return { ...this.summaryOf(row, now), original: this.originalOf(row) };
  }

  private summaryOf(row: DisclosureEntity, now: Date): Omit<DisclosureReview, 'original'> {
    return {
      id: row.id,
      caseId: row.caseId,
      caseNumber: row.caseNumber,
      decisionNumber: row.decisionNumber,
      agencyId: row.agencyId,
      status: row.status,
      notPublishedCode: row.notPublishedCode,
      decidedAt: row.decidedAt.toISOString(),
      dueAt: row.dueAt.toISOString(),
      dueCoverage: row.dueCoverage,
      overdue: row.status === 'pending-review' && now.getTime() >= row.dueAt.getTime(),
      redacted: row.redacted,
      findings: row.findings,
      published: row.published,
      withdrawalReason: row.withdrawalReason,
    };
  }
}
