import { Injectable } from '@nestjs/common';
import { KnownCertificateEntity, KnownOfficerEntity } from '@enforcement/certificates';
import { DataSource, In } from 'typeorm';
import { AgencyDisclosureEntity, SECTION_TITLES, type AgencyDisclosureContent } from '../agencies/agency-disclosure.entity';
import { PublicAgencyEntity } from '../agencies/public-agency.entity';

/** A certificate as anyone may see it (亮证, Art. 55): holder, number, agency, domains, status and validity. */
export interface PublicCertificateView {
  number: string;
  holderName: string;
  agencyName: string;
  domains: string[];
  status: string;
  validFrom: string;
  validUntil: string;
}

/** The agency page's data (事前公开): the body, its domains and legal basis, and its officer roster. */
export interface PublicAgencyView {
  id: string;
  name: string;
  creditCode: string;
  regionCode: string;
  domains: string[];
  legalBasis: string;
}

/** A certificate past its last day is expired even before the certificates service's job says so. */
function statusAt(row: KnownCertificateEntity, now: Date): string {
  return row.status === 'active' && row.validUntil.getTime() <= now.getTime() ? 'expired' : row.status;
}

/** The officer roster and certificate verification, from the certificate read model (certificate events). */
@Injectable()
export class PublicRosterRepository {
  constructor(private readonly dataSource: DataSource) {}

  async agencies(): Promise<PublicAgencyView[]> {
    return (await this.dataSource.manager.find(PublicAgencyEntity, { order: { name: 'ASC' } })).map(agencyView);
  }

  async agency(id: string): Promise<PublicAgencyView | null> {
    const row = await this.dataSource.manager.findOneBy(PublicAgencyEntity, { id });
    return row ? agencyView(row) : null;
  }

  /** What the agency publishes before enforcement, section by section (事前公开). */
  async sections(
    agencyId: string,
  ): Promise<Array<AgencyDisclosureContent & { section: string; title: string; version: number; updatedAt: string }>> {
    const rows = await this.dataSource.manager.find(AgencyDisclosureEntity, { where: { agencyId }, order: { section: 'ASC' } });
    return rows.map((row) => ({
      section: row.section,
      title: SECTION_TITLES[row.section],
      version: row.version,
      updatedAt: row.updatedAt.toISOString(),
      ...row.content,
    }));
  }

  /** The agency's officers with their certificates (name, number, domains, status). */
  async roster(agencyId: string, now = new Date()): Promise<PublicCertificateView[]> {
    const certificates = await this.dataSource.manager.find(KnownCertificateEntity, { where: { agencyId }, order: { number: 'ASC' } });
    return this.views(certificates, now);
  }

  async certificate(number: string, now = new Date()): Promise<PublicCertificateView | null> {
    const rows = await this.dataSource.manager.find(KnownCertificateEntity, { where: { number } });
    const [view] = await this.views(rows, now);
    return view ?? null;
  }

  private async views(certificates: KnownCertificateEntity[], now: Date): Promise<PublicCertificateView[]> {
    if (certificates.length === 0) return [];
    const officerIds = [...new Set(certificates.map((c) => c.officerId))];
    const agencyIds = [...new Set(certificates.map((c) => c.agencyId))];
    const [officers, agencies] = await Promise.all([
      this.dataSource.manager.find(KnownOfficerEntity, { where: { id: In(officerIds) } }),
      this.dataSource.manager.find(PublicAgencyEntity, { where: { id: In(agencyIds) } }),
    ]);
    const names = new Map(officers.map((o) => [o.id, o.name]));
    const agencyNames = new Map(agencies.map((a) => [a.id, a.name]));
    return certificates.map((c) => ({
      number: c.number,
      holderName: names.get(c.officerId) ?? '',
      agencyName: agencyNames.get(c.agencyId) ?? '',
      domains: c.domains,
      status: statusAt(c, now),
      validFrom: c.validFrom.toISOString(),
      validUntil: c.validUntil.toISOString(),
    }));
  }
}

function agencyView(row: PublicAgencyEntity): PublicAgencyView {
  return {
    id: row.id,
    name: row.name,
    creditCode: row.creditCode,
    regionCode: row.regionCode,
    domains: row.domains,
    legalBasis: row.legalBasis,
  };
}
