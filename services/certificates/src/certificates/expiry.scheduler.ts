import { Inject, Injectable } from '@nestjs/common';
import { ScheduledJob } from '@enforcement/events';
import { SERVICE_CONFIG } from '@enforcement/service-runtime';
import { DataSource } from 'typeorm';
import type { CertificatesConfig } from '../config/certificates-settings';
import { CertificatesService } from './certificates.service';

/**
 * Expires certificates whose last valid day has ended, at start-up and then at a fixed interval, on one
 * instance of the service at a time (expireDue stays safe should two ever overlap).
 */
@Injectable()
export class ExpiryScheduler extends ScheduledJob {
  constructor(
    private readonly certificates: CertificatesService,
    @Inject(SERVICE_CONFIG) config: CertificatesConfig,
    dataSource: DataSource,
  ) {
    super(dataSource, 'certificate-expiry', config.settings.expiryCheckIntervalMs);
  }

  // A failed run is logged by the job; the next one tries again, nothing is lost while the database is away.
  protected async run(signal: AbortSignal): Promise<void> {
    const expired = await this.certificates.expireDue(new Date(), signal);
    if (expired > 0) this.logger.log(`expired ${expired} certificate(s)`);
  }
}
