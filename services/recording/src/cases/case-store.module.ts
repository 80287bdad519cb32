import { Global, Module } from '@nestjs/common';
import { DomainEventBus } from '../case-core/domain-event.bus';
import { CaseAccessService } from './case-access.service';
import { CaseScopeResolver } from './case-scope.resolver';
import { CaseRepository } from './case.repository';
import { PartyDataReadRepository } from './party-data-read.repository';

/**
 * The bottom of the recording service's Nest wiring: the case repository, who may see a case (CaseAccessService,
 * CaseScopeResolver) and the one DomainEventBus of the application (a new one per application, not per process).
 */
@Global()
@Module({
  providers: [
    CaseRepository,
    PartyDataReadRepository,
    CaseAccessService,
    CaseScopeResolver,
    { provide: DomainEventBus, useFactory: () => new DomainEventBus() },
  ],
  exports: [CaseRepository, PartyDataReadRepository, CaseAccessService, CaseScopeResolver, DomainEventBus],
})
export class CaseStoreModule {}
