import { Module } from '@nestjs/common';
import { AgenciesModule } from '../agencies/agencies.module';
import { OfficersModule } from '../officers/officers.module';
import { CertificateRepository } from './certificate.repository';
import { CertificatesController } from './certificates.controller';
import { CertificatesService } from './certificates.service';
import { ExpiryScheduler } from './expiry.scheduler';

@Module({
  imports: [AgenciesModule, OfficersModule],
  controllers: [CertificatesController],
  providers: [CertificatesService, CertificateRepository, ExpiryScheduler],
  exports: [CertificatesService, CertificateRepository],
})
export class CertificatesModule {}
