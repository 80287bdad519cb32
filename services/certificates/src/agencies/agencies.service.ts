import { HttpStatus, Injectable } from '@nestjs/common';
import { Events } from '@enforcement/contracts';
import { TransactionalOutbox } from '@enforcement/events';
import { DomainError } from '@enforcement/service-runtime';
import { randomUUID } from 'node:crypto';
import { AgencyEntity } from './agency.entity';
import type { RegisterAgencyDto } from './register-agency.dto';

@Injectable()
export class AgenciesService {
  constructor(private readonly outbox: TransactionalOutbox) {}

  async register(input: RegisterAgencyDto, actingUserId: string): Promise<AgencyEntity> {
    return this.outbox.run(async ({ manager, emit }) => {
      if (await manager.existsBy(AgencyEntity, { creditCode: input.creditCode })) {
        throw new DomainError('AGENCY_EXISTS', '该统一社会信用代码的执法主体已登记', HttpStatus.CONFLICT);
      }
      const agency = manager.create(AgencyEntity, { id: randomUUID(), ...input, createdAt: new Date() });
      await manager.insert(AgencyEntity, agency);
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
        { partitionKey: agency.id, agencyId: agency.id, actingUserId },
      );
      return agency;
    });
  }
}
