import { Module } from '@nestjs/common';
import { ThrottlerModule } from '@nestjs/throttler';
import { SERVICE_CONFIG } from '@enforcement/service-runtime';
import type { CertificatesConfig } from '../config/certificates-settings';
import { PublicCertificatesController } from './public-certificates.controller';

@Module({
  imports: [
    ThrottlerModule.forRootAsync({
      inject: [SERVICE_CONFIG],
      useFactory: (config: CertificatesConfig) => [{ ttl: 60_000, limit: config.settings.publicVerifyRateLimit }],
    }),
  ],
  controllers: [PublicCertificatesController],
})
export class PublicModule {}
