import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DEFAULT_JOB_LEASE_TTL_MS, SingletonJob } from '@enforcement/events';
import { SERVICE_CONFIG } from '@enforcement/service-runtime';
import { DataSource } from 'typeorm';
import type { CertificatesConfig } from '../config/certificates-settings';
import { CertificatesService } from './certificates.service';

/**
 * Expires certificates whose last valid day has ended, at start-up and then at a fixed interval, on one
 * instance of the service at a time (expireDue stays safe should two ever overlap).
 */
@Injectable()
export class ExpiryScheduler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(ExpiryScheduler.name);
  private readonly job: SingletonJob;

  constructor(
    private readonly certificates: CertificatesService,
    @Inject(SERVICE_CONFIG) config: CertificatesConfig,
    dataSource: DataSource,
  ) {
    this.job = new SingletonJob(
      dataSource,
      { name: 'certificate-expiry', intervalMs: config.settings.expiryCheckIntervalMs, leaseTtlMs: DEFAULT_JOB_LEASE_TTL_MS },
      // A failed run is logged by the job; the next one tries again, nothing is lost while the database is away.
      async (signal) => {
        const expired = await this.certificates.expireDue(new Date(), signal);
        if (expired > 0) this.logger.log(`expired ${expired} certificate(s)`);
      },
      new Logger(SingletonJob.name),
    );
  }

  onApplicationBootstrap(): void {
    this.job.start();
  }

  /** Before the HTTP server drains: another instance takes the job over while this one finishes its requests. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.job.stop();
  }
}
