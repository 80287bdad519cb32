import { Injectable, Logger } from '@nestjs/common';
import type { Role } from '@enforcement/auth';
import { envelopeOccurredAt, Events, timestampDate, type certificatesV1 } from '@enforcement/contracts';
import { OnEvent, type EventContext } from '@enforcement/events';
import type { EntityManager } from 'typeorm';
import type { CertificateStatus } from '../check/certificate-index';
import { isDivisionCode } from '../check/region-code';
import { CertificateDirectoryService, certificateFactsOfRow } from './certificate-directory.service';
import { CertificateReadModelRepository } from './certificate-read-model.repository';
import type { KnownCertificateEntity } from './known-certificate.entity';

/**
 * Keeps the service's certificate read model in step with the certificates service.
 *
 * The certificates service keys certificate events by certificate id and officer events by officer id, so each
 * arrives after the event that created its row. An event about a certificate or officer this read model has
 * never seen therefore means an earlier event is missing (dead-lettered, or older than the topic keeps). Such an
 * event throws: the dispatcher retries it, then dead-letters it where an operator sees it and can replay the
 * missing event first. Ignoring it would hide the gap, and a lost suspension or revocation would leave an
 * officer able to act.
 *
 * Within a known row, replays and redeliveries out of order must not undo newer facts: the row remembers when
 * the events behind its terms and its status occurred, and an older event changes neither. Revocation is final.
 * A renewal sets new terms and brings an expired certificate back to active; a suspended or revoked one stays
 * so (the certificates service renews only active or expired certificates; reinstatement comes first).
 */
@Injectable()
export class CertificateReadModelConsumer {
  private readonly logger = new Logger(CertificateReadModelConsumer.name);

  constructor(
    private readonly directory: CertificateDirectoryService,
    private readonly readModel: CertificateReadModelRepository,
  ) {}

  @OnEvent(Events.OfficerRegistered)
  async onOfficerRegistered(event: certificatesV1.OfficerRegistered, { manager, envelope }: EventContext): Promise<void> {
    ensure(event.officerId && event.agencyId && event.name, 'OfficerRegistered without officer id, agency id or name');
    const occurredAt = envelopeOccurredAt(envelope);
    const held = await this.readModel.officer(manager, event.officerId);
    const rolesAreNewer = !held || occurredAt >= held.rolesEventAt;
    await this.readModel.saveOfficer(manager, {
      id: event.officerId,
      agencyId: event.agencyId,
      name: event.name,
      roles: rolesAreNewer ? parseRoles(event.roles) : held.roles,
      supervisedRegionCode: rolesAreNewer ? supervisedRegion(event.supervisedRegionCode) : held.supervisedRegionCode,
      rolesEventAt: rolesAreNewer ? occurredAt : held.rolesEventAt,
      updatedAt: new Date(),
    });
  }

  @OnEvent(Events.OfficerRolesChanged)
  async onOfficerRolesChanged(event: certificatesV1.OfficerRolesChanged, { manager, envelope }: EventContext): Promise<void> {
    ensure(event.officerId, 'OfficerRolesChanged without officer id');
    const occurredAt = envelopeOccurredAt(envelope);
    const held = await this.readModel.officer(manager, event.officerId);
    if (!held) throw new Error(`OfficerRolesChanged for unknown officer ${event.officerId}`);
    if (occurredAt < held.rolesEventAt) return this.stale(envelope.eventType, event.officerId);
    await this.readModel.updateOfficer(manager, held.id, {
      agencyId: event.agencyId || held.agencyId,
      roles: parseRoles(event.roles),
      supervisedRegionCode: supervisedRegion(event.supervisedRegionCode),
      rolesEventAt: occurredAt,
      updatedAt: new Date(),
    });
  }

  @OnEvent(Events.CertificateIssued)
  async onCertificateIssued(event: certificatesV1.CertificateIssued, context: EventContext): Promise<void> {
    ensure(
      event.certificateId && event.certificateNumber && event.officerId && event.agencyId,
      'CertificateIssued without certificate id, number, officer id or agency id',
    );
    const terms = parseTerms(event.terms, 'CertificateIssued');
    const occurredAt = envelopeOccurredAt(context.envelope);
    const held = await this.readModel.certificate(context.manager, event.certificateId);
    if (!held) {
      const row: KnownCertificateEntity = {
        id: event.certificateId,
        number: event.certificateNumber,
        officerId: event.officerId,
        agencyId: event.agencyId,
        status: 'active',
        ...terms,
        termsEventAt: occurredAt,
        statusEventAt: occurredAt,
        version: 1,
        updatedAt: new Date(),
      };
      await this.readModel.insertCertificate(context.manager, row);
      this.directory.applyAfterCommit(context.manager, certificateFactsOfRow(row));
      return;
    }
    // Issued again under the same id (a correction): identity follows, terms only if not overtaken.
    const termsAreNewer = occurredAt >= held.termsEventAt;
    await this.change(context.manager, held, {
      number: event.certificateNumber,
      officerId: event.officerId,
      agencyId: event.agencyId,
      ...(termsAreNewer ? { ...terms, termsEventAt: occurredAt } : {}),
    });
  }

  @OnEvent(Events.CertificateRenewed)
  async onCertificateRenewed(event: certificatesV1.CertificateRenewed, context: EventContext): Promise<void> {
    ensure(event.certificateId, 'CertificateRenewed without certificate id');
    const terms = parseTerms(event.terms, 'CertificateRenewed');
    const occurredAt = envelopeOccurredAt(context.envelope);
    const held = await this.known(context.manager, event.certificateId, 'CertificateRenewed');
    const termsAreNewer = occurredAt >= held.termsEventAt;
    const reactivates = held.status === 'expired' && occurredAt >= held.statusEventAt;
    if (!termsAreNewer && !reactivates) return this.stale(context.envelope.eventType, held.id);
    await this.change(context.manager, held, {
      ...(termsAreNewer ? { ...terms, termsEventAt: occurredAt } : {}),
      ...(reactivates ? { status: 'active' as const, statusEventAt: occurredAt } : {}),
    });
  }

  @OnEvent(Events.CertificateSuspended)
  async onCertificateSuspended(event: certificatesV1.CertificateSuspended, context: EventContext): Promise<void> {
    await this.changeStatus(event.certificateId, 'suspended', 'CertificateSuspended', context);
  }

  @OnEvent(Events.CertificateReinstated)
  async onCertificateReinstated(event: certificatesV1.CertificateReinstated, context: EventContext): Promise<void> {
    // Only a suspension is lifted: reinstating an expired certificate does not make it usable.
    await this.changeStatus(event.certificateId, 'active', 'CertificateReinstated', context, (held) => held === 'suspended');
  }

  @OnEvent(Events.CertificateRevoked)
  async onCertificateRevoked(event: certificatesV1.CertificateRevoked, context: EventContext): Promise<void> {
    await this.changeStatus(event.certificateId, 'revoked', 'CertificateRevoked', context);
  }

  @OnEvent(Events.CertificateExpired)
  async onCertificateExpired(event: certificatesV1.CertificateExpired, context: EventContext): Promise<void> {
    ensure(event.certificateId, 'CertificateExpired without certificate id');
    const expiredUntil = event.validUntil ? timestampDate(event.validUntil) : undefined;
    await this.changeStatus(
      event.certificateId,
      'expired',
      'CertificateExpired',
      context,
      (_status, held) =>
        // The expiry job saw terms a later renewal replaced: the renewed certificate has not expired.
        !expiredUntil || held.validUntil.getTime() <= expiredUntil.getTime(),
    );
  }

  private async changeStatus(
    certificateId: string,
    status: CertificateStatus,
    eventName: string,
    { manager, envelope }: EventContext,
    applies: (held: CertificateStatus, row: KnownCertificateEntity) => boolean = () => true,
  ): Promise<void> {
    ensure(certificateId, `${eventName} without certificate id`);
    const occurredAt = envelopeOccurredAt(envelope);
    const held = await this.known(manager, certificateId, eventName);
    if (occurredAt < held.statusEventAt) return this.stale(envelope.eventType, certificateId);
    // Revocation is final (Administrative Penalty Law Art. 42: a revoked holder has no qualification).
    if (held.status === 'revoked' || !applies(held.status, held) || held.status === status) {
      await this.change(manager, held, { statusEventAt: occurredAt });
      return;
    }
    await this.change(manager, held, { status, statusEventAt: occurredAt });
  }

  private async known(manager: EntityManager, certificateId: string, eventName: string): Promise<KnownCertificateEntity> {
    const held = await this.readModel.certificate(manager, certificateId);
    if (!held) throw new Error(`${eventName} for unknown certificate ${certificateId}`);
    return held;
  }

  /**
   * Writes a change guarded by the version read, so that two writers of the same row cannot both win: the loser
   * throws and the dispatcher runs it again on the new row.
   */
  private async change(
    manager: EntityManager,
    held: KnownCertificateEntity,
    changes: Partial<Omit<KnownCertificateEntity, 'id' | 'version' | 'updatedAt'>>,
  ): Promise<void> {
    const next: KnownCertificateEntity = { ...held, ...changes, version: held.version + 1, updatedAt: new Date() };
    if (!(await this.readModel.updateCertificateIfVersion(manager, held.version, next)))
      throw new Error(`certificate ${held.id} changed concurrently; retrying`);
    this.directory.applyAfterCommit(manager, certificateFactsOfRow(next));
  }

  private stale(eventType: string, id: string): void {
    this.logger.warn(`${eventType} for ${id} is older than what the read model holds; left without effect`);
  }
}

function ensure(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

function parseTerms(
  terms: certificatesV1.CertificateTerms | undefined,
  eventName: string,
): Pick<KnownCertificateEntity, 'domains' | 'regionCodes' | 'validFrom' | 'validUntil'> {
  if (!terms?.validFrom || !terms.validUntil) throw new Error(`${eventName} without validity`);
  const validFrom = timestampDate(terms.validFrom);
  const validUntil = timestampDate(terms.validUntil);
  if (!(validFrom < validUntil)) throw new Error(`${eventName}: validity ends before it starts`);
  const domains = terms.domains.filter(Boolean);
  if (domains.length === 0) throw new Error(`${eventName} without domains`);
  if (terms.regionCodes.length === 0) throw new Error(`${eventName} without region codes`);
  const invalid = terms.regionCodes.filter((code) => !isDivisionCode(code));
  if (invalid.length > 0) throw new Error(`${eventName}: not GB/T 2260 division codes: ${invalid.join(', ')}`);
  return { domains, regionCodes: [...terms.regionCodes], validFrom, validUntil };
}

/** Roles this build does not know grant nothing here; dropping them keeps newer producers compatible. */
function parseRoles(roles: readonly string[]): Role[] {
  return [...new Set(roles.filter(isRole))];
}

// A type-only tie to @enforcement/auth, whose runtime pulls in token verification; the record type makes the
// compiler insist on every role.
const KNOWN_ROLES: Record<Role, true> = { officer: true, reviewer: true, 'agency-admin': true, supervisor: true, 'system-admin': true };

function isRole(role: string): role is Role {
  return Object.hasOwn(KNOWN_ROLES, role);
}

function supervisedRegion(code: string): string | null {
  if (!code) return null;
  if (!isDivisionCode(code)) throw new Error(`supervised region is not a GB/T 2260 division code: ${code}`);
  return code;
}
