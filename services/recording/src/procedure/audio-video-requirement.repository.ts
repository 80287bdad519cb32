import { Injectable } from '@nestjs/common';
import { EntityRows } from '@enforcement/persistence';
import { DataSource } from 'typeorm';
import type { TransactionScope } from '../case-core/ports';
import { DEFAULT_AUDIO_VIDEO_STEPS, type StepType } from '../case-core/step-types';
import { managerOf } from '../cases/case.repository';
import { AgencySettingsCache } from './agency-settings-cache';
import { AudioVideoRequirementEntity } from './audio-video-requirement.entity';

/** The step types each agency requires full audio/video for, beyond the platform defaults. */
@Injectable()
export class AudioVideoRequirementRepository {
  /** Read on every recorded step: plain SQL, and kept a few seconds per agency. */
  private readonly rows: EntityRows<AudioVideoRequirementEntity>;
  private readonly cache = new AgencySettingsCache<string[]>();

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
    this.cache.forget(agencyId);
  }

  /** Inside a transaction pass it: a second pool connection per request can exhaust the pool. */
  async stepsOf(agencyId: string, tx?: TransactionScope): Promise<string[]> {
    return this.cache.get(agencyId, async () => {
      const extra = await this.rows.findBy(managerOf(this.dataSource, tx), { agencyId });
      return [...new Set([...DEFAULT_AUDIO_VIDEO_STEPS, ...extra.map((row) => row.stepType)])];
    });
  }
}
