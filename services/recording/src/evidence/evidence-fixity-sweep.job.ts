import { Injectable } from '@nestjs/common';
import { ScheduledJob } from '@enforcement/events';
import { DataSource } from 'typeorm';
import { EvidenceFixityService } from './evidence-fixity.service';

/**
 * The scheduled fixity sweep: one replica at a time re-hashes a batch of stored originals every interval, stopping
 * between originals when the replica shuts down. Off when the interval is 0 (EVIDENCE_FIXITY_SWEEP=false).
 */
@Injectable()
export class EvidenceFixitySweepJob extends ScheduledJob {
  constructor(
    private readonly fixity: EvidenceFixityService,
    dataSource: DataSource,
  ) {
    super(dataSource, 'evidence-fixity-sweep', fixity.sweepIntervalMs);
  }

  protected async run(signal: AbortSignal): Promise<void> {
    const { checked, failed } = await this.fixity.sweepBatch(signal);
    if (checked > 0) this.logger.log(`re-hashed ${checked} evidence original(s), ${failed} changed or missing`);
  }
}
