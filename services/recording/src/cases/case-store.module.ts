import { Global, Module } from '@nestjs/common';
import { DomainEventBus } from '../case-core/domain-event.bus';
import { CaseAccess } from './case-access.service';
import { CaseScope } from './case-scope.resolver';
import { CaseRepository } from './case.repository';
import { PartyDataReadRepository } from './party-data-read.repository';

/**
 * The bottom of the recording service's Nest wiring: the case repository, who may see a case (CaseAccess,
 * CaseScope) and the one DomainEventBus of the application (a new one per application, not per process).
 */
@Global()
@Module({
  providers: [
    CaseRepository,
    PartyDataReadRepository,
    CaseAccess,
    CaseScope,
    { provide: DomainEventBus, useFactory: () => new DomainEventBus() },
  ],
  exports: [CaseRepository, PartyDataReadRepository, CaseAccess, CaseScope, DomainEventBus],
})
export class CaseStoreModule {}
