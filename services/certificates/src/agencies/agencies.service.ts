import { Injectable } from '@nestjs/common';
import { assertAgencyScope, type AuthenticatedUser } from '@enforcement/auth';
import { Events } from '@enforcement/contracts';
import { TransactionalOutbox } from '@enforcement/events';
import { randomUUID } from 'node:crypto';
import { CertificatesError } from '../errors/certificates.error';
import type { AgencyEntity } from './agency.entity';
import { AgencyRepository } from './agency.repository';
import type { RegisterAgencyDto } from './register-agency.dto';

@Injectable()
export class AgenciesService {
  constructor(
    private readonly outbox: TransactionalOutbox,
    private readonly agencies: AgencyRepository,
  ) {}

  async register(input: RegisterAgencyDto, actor: AuthenticatedUser, id: string = randomUUID()): Promise<AgencyEntity> {
    return this.outbox.run(async ({ manager, emit }) => {
      if (await this.agencies.existsWithCreditCode(manager, input.creditCode)) {
        throw new CertificatesError('AGENCY_EXISTS', '该统一社会信用代码的执法主体已登记', 'conflict');
      }
      const agency = await this.agencies.insert(manager, { id, ...input, createdAt: new Date() });
      await emit(
        Events.AgencyRegistered,
        {
          agencyId: agency.id,
          name: agency.name,
          creditCode: agency.creditCode,
          regionCode: agency.regionCode,
          domains: agency.domains,
          legalBasis: agency.legalBasis,
        },
        { partitionKey: agency.id, agencyId: agency.id, actingUserId: actor.userId },
      );
      return agency;
    });
  }

  async get(id: string, actor: AuthenticatedUser): Promise<AgencyEntity> {
    assertAgencyScope(actor, id);
    const agency = await this.agencies.findById(id);
    if (!agency) throw new CertificatesError('AGENCY_NOT_FOUND', '执法主体不存在', 'not-found');
    return agency;
  }

  /** Who may enforce what is public before enforcement (事前公开): any signed-in user may list agencies. */
  list(): Promise<AgencyEntity[]> {
    return this.agencies.list();
  }
}
