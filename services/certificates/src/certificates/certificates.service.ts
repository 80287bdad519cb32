import { Injectable } from '@nestjs/common';
import type { AuthenticatedUser } from '@enforcement/auth';
import { assertAgencyScope } from '@enforcement/auth';
import { Events, timestampFromDate } from '@enforcement/contracts';
import { TransactionalOutbox, type Transaction } from '@enforcement/events';
import { randomUUID } from 'node:crypto';
import { AgencyRepository } from '../agencies/agency.repository';
import { CertificatesError } from '../errors/certificates.error';
import { OfficerRepository } from '../officers/officer.repository';
import { termsMessage } from './certificate-events';
import { CertificateLifecycle, type CertificateAction, type CertificateTerms, type Transition } from './certificate-lifecycle';
import type { CertificateEntity } from './certificate.entity';
import { CertificateRepository } from './certificate.repository';

export interface IssueCertificate extends CertificateTerms {
  number: string;
  issuingAuthority: string;
}

type StatusAction = 'suspend' | 'reinstate' | 'revoke';

@Injectable()
export class CertificatesService {
  constructor(
    private readonly outbox: TransactionalOutbox,
    private readonly certificates: CertificateRepository,
    private readonly officers: OfficerRepository,
    private readonly agencies: AgencyRepository,
  ) {}

  issue(officerId: string, input: IssueCertificate, actor: AuthenticatedUser): Promise<CertificateEntity> {
    return this.outbox.run((tx) => this.issueIn(tx, officerId, input, actor));
  }

  /** Issues inside a caller's transaction, so a roster row's officer and certificate commit together. */
  async issueIn(tx: Transaction, officerId: string, input: IssueCertificate, actor: AuthenticatedUser, now = new Date()) {
    const officer = await this.officers.findById(officerId, tx.manager);
    if (!officer) throw new CertificatesError('OFFICER_NOT_FOUND', '执法人员不存在', 'not-found');
    assertAgencyScope(actor, officer.agencyId);
    const transition = CertificateLifecycle.issue(input, now);
    await this.assertWithinAgencyPowers(tx, officer.agencyId, input);
    if (await this.certificates.existsWithNumber(tx.manager, input.number)) {
      throw new CertificatesError('CERTIFICATE_NUMBER_EXISTS', '该证件编号已存在', 'conflict');
    }
    const certificate = await this.certificates.insert(tx.manager, {
      id: randomUUID(),
      number: input.number,
      officerId,
      agencyId: officer.agencyId,
      issuingAuthority: input.issuingAuthority,
      domains: input.domains,
      regionCodes: input.regionCodes,
      validFrom: input.validFrom,
      validUntil: input.validUntil,
      validUntilAt: CertificateLifecycle.validity(input).validUntilAt,
      status: transition.to,
      updatedAt: now,
    });
    await this.recordHistory(tx, certificate.id, transition, '核发证件', actor.userId, now, input);
    await tx.emit(
      Events.CertificateIssued,
      {
        certificateId: certificate.id,
        certificateNumber: certificate.number,
        officerId,
        agencyId: officer.agencyId,
        issuingAuthority: certificate.issuingAuthority,
        terms: termsMessage(input),
      },
      { partitionKey: certificate.id, agencyId: officer.agencyId, actingUserId: actor.userId },
    );
    return certificate;
  }

  renew(certificateId: string, terms: CertificateTerms, reason: string, actor: AuthenticatedUser) {
    return this.outbox.run(async (tx) => {
      const now = new Date();
      const certificate = await this.load(tx, certificateId, actor);
      CertificateLifecycle.validateTerms(terms);
      const { validUntilAt } = CertificateLifecycle.validity(terms);
      if (validUntilAt.getTime() <= now.getTime()) {
        throw new CertificatesError('INVALID_VALIDITY', '换发后的有效期必须晚于今天', 'invalid');
      }
      await this.assertWithinAgencyPowers(tx, certificate.agencyId, terms);
      const transition = CertificateLifecycle.transition(certificate, 'renew', now);
      await this.apply(tx, certificate, transition, {
        domains: terms.domains,
        regionCodes: terms.regionCodes,
        validFrom: terms.validFrom,
        validUntil: terms.validUntil,
        validUntilAt,
      });
      await this.recordHistory(tx, certificate.id, transition, reason, actor.userId, now, terms);
      await tx.emit(
        Events.CertificateRenewed,
        { certificateId: certificate.id, terms: termsMessage(terms) },
        { partitionKey: certificate.id, agencyId: certificate.agencyId, actingUserId: actor.userId },
      );
      return certificate;
    });
  }

  changeStatus(certificateId: string, action: StatusAction, reason: string, actor: AuthenticatedUser) {
    return this.outbox.run(async (tx) => {
      const now = new Date();
      const certificate = await this.load(tx, certificateId, actor);
      const transition = CertificateLifecycle.transition(certificate, action, now);
      await this.apply(tx, certificate, transition, {});
      await this.recordHistory(tx, certificate.id, transition, reason, actor.userId, now);
      if (transition.to === 'expired') {
        await this.emitExpired(tx, certificate);
      } else {
        const payload = { certificateId: certificate.id, reason };
        const options = { partitionKey: certificate.id, agencyId: certificate.agencyId, actingUserId: actor.userId };
        if (action === 'suspend') await tx.emit(Events.CertificateSuspended, payload, options);
        else if (action === 'reinstate') await tx.emit(Events.CertificateReinstated, payload, options);
        else await tx.emit(Events.CertificateRevoked, payload, options);
      }
      return certificate;
    });
  }

  /**
   * The scheduled job: certificates whose last valid day has ended become expired, with an event each. Safe
   * to run twice at once (two replicas, a job taken over mid-run): each certificate is expired by a conditional
   * update, and only the run whose update lands records the history and emits CertificateExpired. Stops between
   * certificates once the signal aborts.
   */
  async expireDue(now = new Date(), signal?: AbortSignal): Promise<number> {
    const due = await this.certificates.dueForExpiry(now, 500);
    let expired = 0;
    for (const candidate of due) {
      if (signal?.aborted) break;
      const done = await this.outbox.run(async (tx) => {
        const transition = CertificateLifecycle.transition(candidate, 'expire', now);
        // Still as read and still due: not expired by another run, suspended, reinstated or renewed meanwhile.
        if (!(await this.certificates.expireIfStill(tx.manager, candidate, now, { status: transition.to, updatedAt: new Date() }))) {
          return false;
        }
        candidate.status = transition.to;
        await this.recordHistory(tx, candidate.id, transition, '有效期届满', '', now);
        await this.emitExpired(tx, candidate);
        return true;
      });
      if (done) expired++;
    }
    return expired;
  }

  async get(certificateId: string, actor: AuthenticatedUser) {
    const certificate = await this.certificates.findById(certificateId);
    if (!certificate) throw new CertificatesError('CERTIFICATE_NOT_FOUND', '证件不存在', 'not-found');
    assertAgencyScope(actor, certificate.agencyId);
    const history = await this.certificates.historyOf(certificateId);
    return { certificate, history };
  }

  private async emitExpired(tx: Transaction, certificate: CertificateEntity): Promise<void> {
    await tx.emit(
      Events.CertificateExpired,
      { certificateId: certificate.id, validUntil: timestampFromDate(certificate.validUntilAt) },
      { partitionKey: certificate.id, agencyId: certificate.agencyId },
    );
  }

  private async load(tx: Transaction, certificateId: string, actor: AuthenticatedUser): Promise<CertificateEntity> {
    const certificate = await this.certificates.findById(certificateId, tx.manager);
    if (!certificate) throw new CertificatesError('CERTIFICATE_NOT_FOUND', '证件不存在', 'not-found');
    assertAgencyScope(actor, certificate.agencyId);
    return certificate;
  }

  /** Conditional on the status read, so two concurrent changes cannot both apply. */
  private async apply(
    tx: Transaction,
    certificate: CertificateEntity,
    transition: Transition,
    changes: Partial<CertificateEntity>,
  ): Promise<void> {
    const applied = await this.certificates.updateIfStatus(tx.manager, certificate.id, certificate.status, {
      ...changes,
      status: transition.to,
      updatedAt: new Date(),
    });
    if (!applied) throw new CertificatesError('CONCURRENT_CHANGE', '证件刚被他人修改，请刷新后重试', 'conflict');
    Object.assign(certificate, changes, { status: transition.to });
  }

  private async recordHistory(
    tx: Transaction,
    certificateId: string,
    transition: Transition & { action: CertificateAction },
    reason: string,
    actorUserId: string,
    occurredAt: Date,
    terms?: CertificateTerms,
  ): Promise<void> {
    await this.certificates.insertHistory(tx.manager, {
      certificateId,
      action: transition.action,
      fromStatus: transition.from,
      toStatus: transition.to,
      reason,
      actorUserId,
      terms: terms ? { ...terms } : null,
      occurredAt,
    });
  }

  /** A certificate cannot grant more than its agency holds: its domains must be the agency's. */
  private async assertWithinAgencyPowers(tx: Transaction, agencyId: string, terms: CertificateTerms): Promise<void> {
    const agency = await this.agencies.findById(agencyId, tx.manager);
    if (!agency) throw new CertificatesError('AGENCY_NOT_FOUND', '执法主体不存在', 'not-found');
    const foreign = terms.domains.filter((domain) => !agency.domains.includes(domain));
    if (foreign.length > 0) {
      throw new CertificatesError('CERTIFICATE_SCOPE_EXCEEDS_AGENCY', '证件执法领域超出本机关职权范围', 'refused', {
        details: { domains: foreign },
      });
    }
  }
}
