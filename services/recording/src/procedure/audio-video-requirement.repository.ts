import { Injectable } from '@nestjs/common';
import { EntityRows } from '@enforcement/persistence';
import { DataSource } from 'typeorm';
import type { TransactionScope } from '../case-core/ports';
import { DEFAULT_AUDIO_VIDEO_STEPS, type StepType } from '../case-core/step-types';
import { managerOf } from '../cases/case.repository';
import { AudioVideoRequirementEntity } from './audio-video-requirement.entity';

/** The step types each agency requires full audio/video for, beyond the platform defaults. */
@Injectable()
export class AudioVideoRequirementRepository {
  /** Read on every recorded step: plain SQL. */
  private readonly rows: EntityRows<AudioVideoRequirementEntity>;

  constructor(private readonly dataSource: DataSource) {
    this.rows = new EntityRows(dataSource, AudioVideoRequirementEntity);
  }

  async replace(agencyId: string, stepTypes: StepType[]): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await manager.delete(AudioVideoRequirementEntity, { agencyId });
      if (stepTypes.length > 0)
        await manager.insert(
          AudioVideoRequirementEntity,
          stepTypes.map((stepType) => ({ agencyId, stepType })),
        );
    });
  }

  /** Inside a transaction pass it: a second pool connection per request can exhaust the pool. */
  async stepsOf(agencyId: string, tx?: TransactionScope): Promise<string[]> {
    const extra = await this.rows.findBy(managerOf(this.dataSource, tx), { agencyId });
    return [...new Set([...DEFAULT_AUDIO_VIDEO_STEPS, ...extra.map((row) => row.stepType)])];
  }
}
