import { Global, Module } from '@nestjs/common';
import { FieldCipher } from '@enforcement/field-cipher';
import { DomainEventBus } from '../case-core/domain-event.bus';
import { FieldCipherModule } from '../crypto/field-cipher.module';
import { CaseAccessService } from './case-access.service';
import { CaseScopeResolver } from './case-scope.resolver';
import { CaseStateSeal } from './case-state-seal';
import { CaseRepository } from './case.repository';
import { PartyDataReadRepository } from './party-data-read.repository';

/**
 * The bottom of the recording service's Nest wiring: the case repository, who may see a case (CaseAccessService,
 * CaseScopeResolver) and the one DomainEventBus of the application (a new one per application, not per process).
 */
@Global()
@Module({
  imports: [FieldCipherModule],
  providers: [
    // Keyed from the service's field key (a derived key of its own): the seal of every case row.
    { provide: CaseStateSeal, inject: [FieldCipher], useFactory: (cipher: FieldCipher) => new CaseStateSeal(cipher) },
    CaseRepository,
    PartyDataReadRepository,
    CaseAccessService,
    CaseScopeResolver,
    { provide: DomainEventBus, useFactory: () => new DomainEventBus() },
  ],
  exports: [CaseStateSeal, CaseRepository, PartyDataReadRepository, CaseAccessService, CaseScopeResolver, DomainEventBus],
})
export class CaseStoreModule {}
