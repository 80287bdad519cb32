import { Global, Module } from '@nestjs/common';
import { FieldCipher } from '@enforcement/field-cipher';
import { SERVICE_CONFIG } from '@enforcement/service-runtime';
import { DomainEventBus } from '../case-core/domain-event.bus';
import type { RecordingConfig } from '../config/recording-settings';
import { CaseAccessService } from './case-access.service';
import { CaseScopeResolver } from './case-scope.resolver';
import { CaseStateSeal } from './case-state-seal';
import { CaseTraceService } from './case-trace.service';
import { CaseRepository } from './case.repository';
import { PartyDataReadRepository } from './party-data-read.repository';

/**
 * The bottom of the recording service's Nest wiring: the case repository, who may see a case (CaseAccessService,
 * CaseScopeResolver), each case's trace (CaseTraceService) and the one DomainEventBus of the application (a new
 * one per application, not per process).
 */
@Global()
@Module({
  providers: [
    // Keyed from the service's field key (a derived key of its own): the seal of every case row. Its own cipher, not
    // FieldCipherModule's: the key rotation command (crypto/) reseals cases, so cases must not depend on crypto/.
    {
      provide: CaseStateSeal,
      inject: [SERVICE_CONFIG],
      useFactory: async (config: RecordingConfig) => new CaseStateSeal(await FieldCipher.fromConfig(config.settings.fieldEncryption)),
    },
    CaseRepository,
    PartyDataReadRepository,
    CaseAccessService,
    CaseScopeResolver,
    CaseTraceService,
    { provide: DomainEventBus, useFactory: () => new DomainEventBus() },
  ],
  exports: [CaseStateSeal, CaseRepository, PartyDataReadRepository, CaseAccessService, CaseScopeResolver, CaseTraceService, DomainEventBus],
})
export class CaseStoreModule {}
