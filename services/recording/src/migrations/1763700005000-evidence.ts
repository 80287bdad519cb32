import { columnsFor } from '@enforcement/persistence';
import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';

/** Sealed evidence items, resumable uploads with their parts, and the viewing log (调阅记录). */
export class Evidence1763700005000 implements MigrationInterface {
  name = 'Evidence1763700005000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columnsFor(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'evidence_items',
        columns: [
          c.id(),
          c.string('case_id', 36),
          c.string('object_key', 300),
          c.string('sha256', 64),
          c.bigint('size_bytes'),
          c.string('media_type', 100),
          c.string('device_id', 100),
          c.string('officer_id', 36),
          c.timestamp('recording_started_at'),
          c.timestamp('recording_ended_at'),
          c.string('step_record_id', 36, true),
          c.timestamp('sealed_at'),
          c.string('seal_record_id', 36),
        ],
        indices: [{ name: 'ix_evidence_items_case', columnNames: ['case_id', 'sealed_at'] }],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'evidence_uploads',
        columns: [
          c.id(),
          c.string('case_id', 36),
          c.string('evidence_id', 36),
          c.string('storage_upload_id', 1024),
          c.string('object_key', 300),
          c.bigint('size_bytes'),
          c.int('part_size'),
          c.int('part_count'),
          c.string('media_type', 100),
          c.string('device_id', 100),
          c.string('officer_id', 36),
          c.timestamp('recording_started_at'),
          c.timestamp('recording_ended_at'),
          c.string('step_record_id', 36, true),
          c.string('status', 16),
          c.string('close_reason', 32, true),
          c.string('stored_sha256', 64, true),
          c.timestamp('sealing_started_at', true),
          c.string('created_by', 36),
          c.timestamp('created_at'),
          c.timestamp('expires_at'),
          c.timestamp('closed_at', true),
        ],
        uniques: [{ name: 'uq_evidence_uploads_evidence', columnNames: ['evidence_id'] }],
        indices: [
          { name: 'ix_evidence_uploads_case', columnNames: ['case_id', 'created_at'] },
          { name: 'ix_evidence_uploads_status_expires', columnNames: ['status', 'expires_at'] },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'evidence_upload_parts',
        columns: [
          { ...c.string('upload_id', 36), isPrimary: true },
          { ...c.int('part_number'), isPrimary: true },
          c.string('etag', 200),
          c.int('size_bytes'),
          c.string('sha256', 64),
          c.timestamp('received_at'),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'evidence_views',
        columns: [
          c.id(),
          c.string('evidence_id', 36),
          c.string('case_id', 36),
          c.string('agency_id', 36),
          c.string('region_code', 12),
          c.string('user_id', 64),
          c.string('viewer_agency_id', 64),
          c.json('viewer_roles'),
          c.string('purpose', 500),
          c.string('kind', 16),
          c.string('byte_range', 100, true),
          c.timestamp('viewed_at'),
        ],
        indices: [
          { name: 'ix_evidence_views_viewed', columnNames: ['viewed_at', 'id'] },
          { name: 'ix_evidence_views_case', columnNames: ['case_id', 'viewed_at'] },
          { name: 'ix_evidence_views_agency', columnNames: ['agency_id', 'viewed_at'] },
          { name: 'ix_evidence_views_region', columnNames: ['region_code', 'viewed_at'] },
          { name: 'ix_evidence_views_evidence', columnNames: ['evidence_id', 'viewed_at'] },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('evidence_views');
    await queryRunner.dropTable('evidence_upload_parts');
    await queryRunner.dropTable('evidence_uploads');
    await queryRunner.dropTable('evidence_items');
  }
}
