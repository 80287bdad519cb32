import { columnsFor } from '@enforcement/persistence';
import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';

export class AudioVideoRequirements1763700008000 implements MigrationInterface {
  name = 'AudioVideoRequirements1763700008000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columnsFor(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'audio_video_requirements',
        columns: [
          { ...c.string('agency_id', 36), isPrimary: true },
          { ...c.string('step_type', 32), isPrimary: true },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('audio_video_requirements');
  }
}
