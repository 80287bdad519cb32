import { Module } from '@nestjs/common';
import { ThrottlerModule } from '@nestjs/throttler';
import { SERVICE_CONFIG } from '@enforcement/service-runtime';
import { AgenciesModule } from '../agencies/agencies.module';
import { CertificatesModule } from '../certificates/certificates.module';
import type { CertificatesConfig } from '../config/certificates-settings';
import { OfficersModule } from '../officers/officers.module';
import { PublicCertificatesController } from './public-certificates.controller';

@Module({
  imports: [
    AgenciesModule,
    OfficersModule,
    CertificatesModule,
    ThrottlerModule.forRootAsync({
      inject: [SERVICE_CONFIG],
      useFactory: (config: CertificatesConfig) => [{ ttl: 60_000, limit: config.settings.publicVerifyRateLimit }],
    }),
  ],
  controllers: [PublicCertificatesController],
})
export class PublicModule {}
