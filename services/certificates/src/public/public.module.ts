import { Module } from '@nestjs/common';
import { ThrottlerModule } from '@nestjs/throttler';
import { SERVICE_CONFIG, type ServiceConfig } from '@enforcement/service-runtime';
import { PublicCertificatesController } from './public-certificates.controller';

@Module({
  imports: [
    ThrottlerModule.forRootAsync({
      inject: [SERVICE_CONFIG],
      useFactory: (config: ServiceConfig) => [{ ttl: 60_000, limit: config.certificates.publicVerifyRateLimit }],
    }),
  ],
  controllers: [PublicCertificatesController],
})
export class PublicModule {}
