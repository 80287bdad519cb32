import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { CatalogContent } from '../review-core/catalog';

/** One published version of an agency's major-decision catalog (目录清单); versions are never changed. */
@Entity({ name: 'catalog_versions' })
@Index('uq_catalog_versions_agency_version', ['agencyId', 'version'], { unique: true })
export class CatalogVersionEntity {
  @PrimaryColumn({ name: 'id', type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'agency_id', type: 'varchar', length: 36 })
  agencyId: string;

  @Column({ name: 'version', type: 'int' })
  version: number;

  @Column({ name: 'content', type: 'simple-json' })
  content: CatalogContent;

  @Column({ name: 'note', type: 'varchar', length: 500 })
  note: string;

  @Column({ name: 'published_by', type: 'varchar', length: 64 })
  publishedBy: string;

  @Column({ name: 'published_at', type: 'datetime', precision: 3 })
  publishedAt: Date;
}
