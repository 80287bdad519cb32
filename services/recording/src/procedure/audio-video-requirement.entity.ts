import { Entity, PrimaryColumn } from 'typeorm';

/** A step type an agency requires full audio/video for, beyond the platform defaults. */
@Entity({ name: 'audio_video_requirements' })
export class AudioVideoRequirementEntity {
  @PrimaryColumn({ name: 'agency_id', type: 'varchar', length: 36 })
  agencyId: string;

  @PrimaryColumn({ name: 'step_type', type: 'varchar', length: 32 })
  stepType: string;
}
