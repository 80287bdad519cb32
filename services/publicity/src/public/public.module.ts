import { Module } from '@nestjs/common';
import { ThrottlerModule } from '@nestjs/throttler';
import { SERVICE_CONFIG } from '@enforcement/service-runtime';
import type { PublicityConfig } from '../config/publicity-settings';
import { MerkleModule } from '../merkle/merkle.module';
import { AnnualStatisticsService } from './annual-statistics.service';
import { PublicDecisionsRepository } from './public-decisions.repository';
import { PublicRosterRepository } from './public-roster.repository';
import { PublicController } from './public.controller';

@Module({
  imports: [
    MerkleModule,
    ThrottlerModule.forRootAsync({
      inject: [SERVICE_CONFIG],
      useFactory: (config: PublicityConfig) => [{ ttl: 60_000, limit: config.settings.publicRateLimit }],
    }),
  ],
  controllers: [PublicController],
  providers: [PublicDecisionsRepository, PublicRosterRepository, AnnualStatisticsService],
  exports: [PublicDecisionsRepository, PublicRosterRepository, AnnualStatisticsService, ThrottlerModule],
})
export class PublicModule {}
