import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DEFAULT_JOB_LEASE_TTL_MS, SingletonJob } from '@enforcement/events';
import { DataSource } from 'typeorm';
import { EvidenceUploadService } from './evidence-upload.service';

/**
 * Closes uploads left open past their expiry and discards their parts, so abandoned sessions neither take
 * parts forever nor hold storage. One replica at a time sweeps (a SingletonJob); closing stays a conditional
 * update, so an upload is still closed once should two sweeps ever overlap.
 */
@Injectable()
export class EvidenceUploadSweeper implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(EvidenceUploadSweeper.name);
  private readonly job: SingletonJob | undefined;

  constructor(
    private readonly uploads: EvidenceUploadService,
    dataSource: DataSource,
  ) {
    const intervalMs = uploads.sweepIntervalMs;
    if (intervalMs === 0) return;
    this.job = new SingletonJob(
      dataSource,
      { name: 'evidence-upload-sweep', intervalMs, leaseTtlMs: DEFAULT_JOB_LEASE_TTL_MS },
      async () => {
        const aborted = await this.uploads.abortExpired();
        if (aborted > 0) this.logger.log(`closed ${aborted} expired evidence upload(s)`);
      },
      new Logger(SingletonJob.name),
    );
  }

  onApplicationBootstrap(): void {
    this.job?.start();
  }

  /** Before the HTTP server drains: another replica takes the sweep over while this one finishes its requests. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.job?.stop();
  }
}
