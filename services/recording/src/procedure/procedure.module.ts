import { Module } from '@nestjs/common';
import { AudioVideoRequirementRepository } from './audio-video-requirement.repository';
import { ProcedureSettingsRepository } from './procedure-settings.repository';

/** Agencies' procedure data, one instance per service, so a change forgets the cached settings everywhere in it. */
@Module({
  providers: [ProcedureSettingsRepository, AudioVideoRequirementRepository],
  exports: [ProcedureSettingsRepository, AudioVideoRequirementRepository],
})
export class ProcedureModule {}
