import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';

/** agency_procedure_settings.footage_upload_limit_minutes: how soon body-camera footage is due (null: 24 hours). */
export class FootageUploadLimit1763700016800 implements MigrationInterface {
  name = 'FootageUploadLimit1763700016800';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn(
      'agency_procedure_settings',
      new TableColumn({ name: 'footage_upload_limit_minutes', type: 'int', isNullable: true }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('agency_procedure_settings', 'footage_upload_limit_minutes');
  }
}
