import { columnsFor } from '@enforcement/persistence';
import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The certificate read model a service checks officer actions against (known certificates and officers, fed by
 * certificate events) and the log of refused actions kept for supervisors.
 */
export class CertificateReadModel1763700010000 implements MigrationInterface {
  name = 'CertificateReadModel1763700010000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columnsFor(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'known_certificates',
        columns: [
          // Ids are the certificates service's; 64 leaves room for ids that are not UUIDs.
          { ...c.id(), length: '64' },
          c.string('number', 64),
          c.string('officer_id', 64),
          c.string('agency_id', 64),
          c.string('status', 16),
          c.json('domains'),
          c.json('region_codes'),
          c.timestamp('valid_from'),
          c.timestamp('valid_until'),
          c.timestamp('terms_event_at'),
          c.timestamp('status_event_at'),
          c.int('version'),
          c.timestamp('updated_at'),
        ],
      }),
    );
    await queryRunner.createIndex(
      'known_certificates',
      new TableIndex({ name: 'ix_known_certificates_officer_id', columnNames: ['officer_id'] }),
    );
    await queryRunner.createIndex(
      'known_certificates',
      new TableIndex({ name: 'ix_known_certificates_updated_at', columnNames: ['updated_at'] }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'known_officers',
        columns: [
          { ...c.id(), length: '64' },
          c.string('agency_id', 64),
          c.string('name', 100),
          c.json('roles'),
          c.string('supervised_region_code', 12, true),
          c.timestamp('roles_event_at'),
          c.timestamp('updated_at'),
        ],
      }),
    );
    await queryRunner.createIndex('known_officers', new TableIndex({ name: 'ix_known_officers_agency_id', columnNames: ['agency_id'] }));

    await queryRunner.createTable(
      new Table({
        name: 'certificate_refusals',
        columns: [
          c.id(),
          c.timestamp('occurred_at'),
          c.string('user_id', 64),
          c.string('agency_id', 64),
          c.string('officer_id', 64, true),
          c.json('officer_ids'),
          c.string('code', 40),
          c.string('route', 300),
          c.string('domain', 100),
          c.string('region_code', 12),
          c.boolean('on_site'),
        ],
      }),
    );
    await queryRunner.createIndex(
      'certificate_refusals',
      new TableIndex({ name: 'ix_certificate_refusals_occurred_at', columnNames: ['occurred_at', 'id'] }),
    );
    await queryRunner.createIndex(
      'certificate_refusals',
      new TableIndex({ name: 'ix_certificate_refusals_agency_id', columnNames: ['agency_id', 'occurred_at'] }),
    );
    await queryRunner.createIndex(
      'certificate_refusals',
      new TableIndex({ name: 'ix_certificate_refusals_region_code', columnNames: ['region_code', 'occurred_at'] }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('certificate_refusals');
    await queryRunner.dropTable('known_officers');
    await queryRunner.dropTable('known_certificates');
  }
}
