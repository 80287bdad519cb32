import { Inject, Injectable } from '@nestjs/common';
import { ScheduledJob } from '@enforcement/events';
import { DataSource } from 'typeorm';
import { DailyRootsService } from './daily-roots.service';

export const DAILY_ROOTS_INTERVAL_MS = Symbol('DAILY_ROOTS_INTERVAL_MS');

/** After each Shanghai day has ended, on one instance at a time: its Merkle root, fixed and published. */
@Injectable()
export class DailyRootsJob extends ScheduledJob {
  constructor(
    private readonly roots: DailyRootsService,
    dataSource: DataSource,
    @Inject(DAILY_ROOTS_INTERVAL_MS) intervalMs: number,
  ) {
    super(dataSource, 'daily-roots', intervalMs);
  }

  protected async run(): Promise<void> {
    const days = await this.roots.computeDue();
    if (days.length > 0) this.logger.log(`fixed the roots of ${days.join(', ')}`);
  }
}
