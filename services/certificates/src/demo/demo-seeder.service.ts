import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { chinaDayOf } from '@enforcement/calendar';
import { TransactionalOutbox } from '@enforcement/events';
import { withCheckCharacter } from '@enforcement/identifiers';
import { SERVICE_CONFIG } from '@enforcement/service-runtime';
import { AgenciesService } from '../agencies/agencies.service';
import { AgencyRepository } from '../agencies/agency.repository';
import { CertificatesService } from '../certificates/certificates.service';
import type { CertificatesConfig } from '../config/certificates-settings';
import { OfficerRepository } from '../officers/officer.repository';
import { OfficersService } from '../officers/officers.service';
import { DEMO_AGENCY, DEMO_USERS, demoUserClaims } from './demo-users';

/**
 * First start of the embedded platform: a demo agency with two certified officers, a qualified legal
 * reviewer, an agency administrator and a supervisor, created through the same services (so their
 * events reach every read model).
 */
@Injectable()
export class DemoSeederService implements OnApplicationBootstrap {
  private readonly logger = new Logger(DemoSeederService.name);

  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: CertificatesConfig,
    private readonly outbox: TransactionalOutbox,
    private readonly agencies: AgenciesService,
    private readonly storedAgencies: AgencyRepository,
    private readonly officers: OfficersService,
    private readonly storedOfficers: OfficerRepository,
    private readonly certificates: CertificatesService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.settings.seedDemoData) return;
    if (await this.storedAgencies.exists(DEMO_AGENCY.id)) return;
    const system = demoUserClaims('sysadmin');
    if (!system) throw new Error('demo system administrator missing');
    await this.agencies.register(DEMO_AGENCY, system, DEMO_AGENCY.id);
    const today = chinaDayOf(new Date());
    const inFiveYears = `${Number(today.slice(0, 4)) + 5}${today.slice(4)}`;
    for (const user of DEMO_USERS.filter((candidate) => candidate.idNumberBase)) {
      await this.outbox.run(async (tx) => {
        const officer = await this.officers.registerIn(
          tx,
          DEMO_AGENCY.id,
          {
            name: user.name,
            idNumber: withCheckCharacter(user.idNumberBase ?? ''),
            roles: user.roles.filter((role) => role !== 'reviewer'),
            supervisedRegionCode: user.supervisedRegionCode,
          },
          system,
          user.id,
        );
        if (user.certificateNumber) {
          await this.certificates.issueIn(
            tx,
            officer.id,
            {
              number: user.certificateNumber,
              issuingAuthority: '上海市人民政府',
              domains: DEMO_AGENCY.domains,
              regionCodes: [DEMO_AGENCY.regionCode],
              validFrom: today,
              validUntil: inFiveYears,
            },
            system,
          );
        }
      });
      if (user.qualificationNumber) {
        await this.officers.grantQualification(
          user.id,
          { qualificationNumber: user.qualificationNumber, qualifiedOn: '2015-09-01' },
          system,
        );
        await this.officers.setRoles(user.id, user.roles, undefined, system);
      }
    }
    const count = await this.storedOfficers.countOfAgency(DEMO_AGENCY.id);
    this.logger.log(
      `demo data created: ${DEMO_AGENCY.name} with ${count} staff; tokens: npm run token -- officer1 | officer2 | reviewer | admin | supervisor | sysadmin`,
    );
  }
}
