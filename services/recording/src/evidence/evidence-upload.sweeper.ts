import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { EvidenceUploadService } from './evidence-upload.service';

/**
 * Closes uploads left open past their expiry and discards their parts, so abandoned sessions neither take
 * parts forever nor hold storage. Every replica may run it: closing is a conditional update only one wins.
 */
@Injectable()
export class EvidenceUploadSweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(EvidenceUploadSweeper.name);
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(private readonly uploads: EvidenceUploadService) {}

  onApplicationBootstrap(): void {
    const interval = this.uploads.sweepIntervalMs;
    if (interval === 0) return;
    this.timer = setInterval(() => {
      this.running ??= this.sweep().finally(() => (this.running = undefined));
    }, interval);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  private async sweep(): Promise<void> {
    try {
      const aborted = await this.uploads.abortExpired();
      if (aborted > 0) this.logger.log(`closed ${aborted} expired evidence upload(s)`);
    } catch (error) {
      this.logger.warn(`expired evidence uploads not swept: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
