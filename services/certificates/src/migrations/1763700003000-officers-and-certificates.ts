import { columnsFor } from '@enforcement/persistence';
import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

export class OfficersAndCertificates1763700003000 implements MigrationInterface {
  name = 'OfficersAndCertificates1763700003000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columnsFor(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'officers',
        columns: [
          c.id(),
          c.string('agency_id', 36),
          c.string('name', 100),
          c.string('id_number', 18),
          c.json('roles'),
          c.string('supervised_region_code', 12, true),
          c.timestamp('created_at'),
        ],
        uniques: [{ name: 'uq_officers_id_number', columnNames: ['id_number'] }],
        indices: [{ name: 'ix_officers_agency', columnNames: ['agency_id'] }],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'review_qualifications',
        columns: [
          { ...c.string('officer_id', 36), isPrimary: true },
          c.string('qualification_number', 64),
          c.string('qualified_on', 10),
          c.timestamp('granted_at'),
          c.timestamp('withdrawn_at', true),
          c.text('withdrawal_reason', true),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'certificates',
        columns: [
          c.id(),
          c.string('number', 64),
          c.string('officer_id', 36),
          c.string('agency_id', 36),
          c.string('issuing_authority', 200),
          c.json('domains'),
          c.json('region_codes'),
          c.string('valid_from', 10),
          c.string('valid_until', 10),
          c.timestamp('valid_until_at'),
          c.string('status', 16),
          c.timestamp('updated_at'),
        ],
        uniques: [{ name: 'uq_certificates_number', columnNames: ['number'] }],
      }),
    );
    await queryRunner.createIndices('certificates', [
      new TableIndex({ name: 'ix_certificates_officer', columnNames: ['officer_id'] }),
      new TableIndex({ name: 'ix_certificates_status_valid_until', columnNames: ['status', 'valid_until_at'] }),
    ]);
    await queryRunner.createTable(
      new Table({
        name: 'certificate_history',
        columns: [
          c.autoId(),
          c.string('certificate_id', 36),
          c.string('action', 16),
          c.string('from_status', 16, true),
          c.string('to_status', 16),
          c.text('reason'),
          c.string('actor_user_id', 36),
          c.json('terms', true),
          c.timestamp('occurred_at'),
        ],
        indices: [{ name: 'ix_certificate_history_certificate', columnNames: ['certificate_id', 'id'] }],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('certificate_history');
    await queryRunner.dropTable('certificates');
    await queryRunner.dropTable('review_qualifications');
    await queryRunner.dropTable('officers');
  }
}
