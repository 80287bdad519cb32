import { Module } from '@nestjs/common';
import { SERVICE_CONFIG } from '@enforcement/service-runtime';
import type { PublicityConfig } from '../config/publicity-settings';
import { DailyRootRepository } from './daily-root.repository';
import { DAILY_ROOTS_INTERVAL_MS, DailyRootsJob } from './daily-roots.job';
import { DailyRootsService } from './daily-roots.service';

@Module({
  providers: [
    DailyRootRepository,
    DailyRootsService,
    DailyRootsJob,
    {
      provide: DAILY_ROOTS_INTERVAL_MS,
      inject: [SERVICE_CONFIG],
      useFactory: (config: PublicityConfig) => config.settings.checkIntervalMs,
    },
  ],
  exports: [DailyRootsService],
})
export class MerkleModule {}
