import { Global, Module, type DynamicModule } from '@nestjs/common';
import { CERTIFICATE_CHECK_OPTIONS, resolveCertificateCheckOptions, type CertificateCheckModuleOptions } from './certificate-check.options';
import { CoOfficerProofRepository } from './co-officers/co-officer-proof.repository';
import { CoOfficerProofsService } from './co-officers/co-officer-proofs.service';
import { CertificateGuard } from './guard/certificate.guard';
import { CertificateDirectoryService } from './read-model/certificate-directory.service';
import { CertificateReadModelConsumer } from './read-model/certificate-read-model.consumer';
import { CertificateReadModelRepository } from './read-model/certificate-read-model.repository';
import { CertificateRefusalLogService } from './refusals/certificate-refusal-log.service';
import { CertificateRefusalRepository } from './refusals/certificate-refusal.repository';
import { CertificateRefusalsController } from './refusals/certificate-refusals.controller';

/**
 * The certificate check of one service: the read model consumer, the in-memory directory, the guard behind
 * @RequiresCertificate and the supervisors' view of refusals. Needs the service's DataSource (PersistenceModule)
 * and its EventsModule, whose dispatcher finds the consumer's @OnEvent handlers; the service adds
 * CERTIFICATE_READ_MODEL_ENTITIES and CERTIFICATE_READ_MODEL_MIGRATIONS to its own lists.
 *
 * Global, because the guard is attached by a decorator in whichever module holds the controller, and Nest
 * builds it there from what that module can see.
 */
@Global()
@Module({})
export class CertificateCheckModule {
  static forRoot(options: CertificateCheckModuleOptions = {}): DynamicModule {
    const resolved = resolveCertificateCheckOptions(options);
    return {
      module: CertificateCheckModule,
      providers: [
        { provide: CERTIFICATE_CHECK_OPTIONS, useValue: resolved },
        CertificateReadModelRepository,
        CertificateDirectoryService,
        CertificateReadModelConsumer,
        CertificateRefusalRepository,
        CertificateRefusalLogService,
        CoOfficerProofRepository,
        CoOfficerProofsService,
        CertificateGuard,
      ],
      controllers: resolved.supervisionController ? [CertificateRefusalsController] : [],
      exports: [
        CERTIFICATE_CHECK_OPTIONS,
        CertificateDirectoryService,
        CertificateRefusalLogService,
        CoOfficerProofsService,
        CertificateGuard,
      ],
    };
  }
}
