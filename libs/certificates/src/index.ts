import { CoOfficerProofEntity } from './lib/co-officers/co-officer-proof.entity';
import { CertificateReadModel1763700010000 } from './lib/migrations/1763700010000-certificate-read-model';
import { CoOfficerProofs1764400001000 } from './lib/migrations/1764400001000-co-officer-proofs';
import { KnownCertificateEntity } from './lib/read-model/known-certificate.entity';
import { KnownOfficerEntity } from './lib/read-model/known-officer.entity';
import { CertificateRefusalEntity } from './lib/refusals/certificate-refusal.entity';

export * from './lib/check/certificate-checker';
export * from './lib/check/certificate-index';
export * from './lib/check/certificate-refusal-code';
export * from './lib/check/region-code';
export * from './lib/certificate-check.options';
export * from './lib/certificate-check.module';
export * from './lib/guard/certified-request';
export * from './lib/guard/certificate.guard';
export * from './lib/guard/requires-certificate.decorator';
export * from './lib/guard/presented-certificates.decorator';
export * from './lib/guard/co-officer-proofs.decorator';
export * from './lib/guard/co-officer-proofs.wrapper';
export * from './lib/read-model/certificate-directory.service';
export * from './lib/read-model/certificate-read-model.consumer';
export * from './lib/refusals/certificate-refusal-log.service';
export * from './lib/refusals/certificate-refusals.controller';
export * from './lib/co-officers/co-officer-proofs.service';
export { KnownCertificateEntity, KnownOfficerEntity, CertificateRefusalEntity, CertificateReadModel1763700010000, CoOfficerProofEntity };
export { measureCheckLatency, type CheckLatencyOptions, type CheckLatency } from './bench/check-latency.bench';

/** Add to the service's entities and migrations. */
export const CERTIFICATE_READ_MODEL_ENTITIES = [KnownCertificateEntity, KnownOfficerEntity, CertificateRefusalEntity, CoOfficerProofEntity];
export const CERTIFICATE_READ_MODEL_MIGRATIONS = [CertificateReadModel1763700010000, CoOfficerProofs1764400001000];
