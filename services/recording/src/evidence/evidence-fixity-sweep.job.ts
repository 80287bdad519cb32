import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DEFAULT_JOB_LEASE_TTL_MS, SingletonJob } from '@enforcement/events';
import { DataSource } from 'typeorm';
import { EvidenceFixityService } from './evidence-fixity.service';

/**
 * The scheduled fixity sweep: one replica at a time (a SingletonJob) re-hashes a batch of stored originals every
 * interval. Off when the interval is 0 (EVIDENCE_FIXITY_SWEEP=false).
 */
@Injectable()
export class EvidenceFixitySweepJob implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(EvidenceFixitySweepJob.name);
  private readonly job: SingletonJob | undefined;

  constructor(fixity: EvidenceFixityService, dataSource: DataSource) {
    const intervalMs = fixity.sweepIntervalMs;
    if (intervalMs === 0) return;
    this.job = new SingletonJob(
      dataSource,
      { name: 'evidence-fixity-sweep', intervalMs, leaseTtlMs: DEFAULT_JOB_LEASE_TTL_MS },
      async (signal) => {
        const { checked, failed } = await fixity.sweepBatch(signal);
        if (checked > 0) this.logger.log(`re-hashed ${checked} evidence original(s), ${failed} changed or missing`);
      },
      new Logger(SingletonJob.name),
    );
  }

  onApplicationBootstrap(): void {
    this.job?.start();
  }

  /** The run in progress stops between originals; another replica takes the sweep over. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.job?.stop();
  }
}
