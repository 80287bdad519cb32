import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { SERVICE_CONFIG, type ServiceConfig } from '@enforcement/service-runtime';
import { CertificatesService } from './certificates.service';

/** Expires certificates whose last valid day has ended, at start-up and then at a fixed interval. */
@Injectable()
export class ExpiryScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ExpiryScheduler.name);
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> = Promise.resolve();

  constructor(
    private readonly certificates: CertificatesService,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.tick();
    this.timer = setInterval(() => this.tick(), this.config.certificates.expiryCheckIntervalMs);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  private tick(): void {
    this.running = this.running.then(async () => {
      try {
        const expired = await this.certificates.expireDue();
        if (expired > 0) this.logger.log(`expired ${expired} certificate(s)`);
      } catch (error) {
        // The next tick tries again; nothing is lost while the database is away.
        this.logger.warn(`expiry check failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    });
  }
}
