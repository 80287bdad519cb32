import { Injectable } from '@nestjs/common';
import { ScheduledJob } from '@enforcement/events';
import { DataSource } from 'typeorm';
import { EvidenceUploadService } from './evidence-upload.service';

/**
 * Closes uploads left open past their expiry and discards their parts, so abandoned sessions neither take
 * parts forever nor hold storage. One replica at a time sweeps; closing stays a conditional update, so an upload is
 * still closed once should two sweeps ever overlap.
 */
@Injectable()
export class EvidenceUploadSweeper extends ScheduledJob {
  constructor(
    private readonly uploads: EvidenceUploadService,
    dataSource: DataSource,
  ) {
    super(dataSource, 'evidence-upload-sweep', uploads.sweepIntervalMs);
  }

  protected async run(): Promise<void> {
    const aborted = await this.uploads.abortExpired();
    if (aborted > 0) this.logger.log(`closed ${aborted} expired evidence upload(s)`);
  }
}
