import { Module } from '@nestjs/common';
import { CertificatesController } from './certificates.controller';
import { CertificatesService } from './certificates.service';
import { ExpiryScheduler } from './expiry.scheduler';

@Module({
  controllers: [CertificatesController],
  providers: [CertificatesService, ExpiryScheduler],
  exports: [CertificatesService],
})
export class CertificatesModule {}
