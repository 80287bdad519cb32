import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { BandSpec, DiscretionBand } from '../review-core/discretion-benchmark';

/** One violation of an agency's discretion benchmark (行政裁量权基准, Art. 34), with its bands. */
@Entity({ name: 'benchmark_entries' })
@Index('uq_benchmark_entries_agency_violation', ['agencyId', 'violationCode'], { unique: true })
export class BenchmarkEntryEntity {
  @PrimaryColumn({ name: 'id', type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'agency_id', type: 'varchar', length: 36 })
  agencyId: string;

  @Column({ name: 'violation_code', type: 'varchar', length: 64 })
  violationCode: string;

  @Column({ name: 'description', type: 'varchar', length: 500 })
  description: string;

  @Column({ name: 'legal_basis', type: 'varchar', length: 500 })
  legalBasis: string;

  @Column({ name: 'penalty_basis', type: 'varchar', length: 500 })
  penaltyBasis: string;

  @Column({ name: 'bands', type: 'simple-json' })
  bands: Partial<Record<DiscretionBand, BandSpec>>;

  @Column({ name: 'version', type: 'int' })
  version: number;

  @Column({ name: 'updated_by', type: 'varchar', length: 64 })
  updatedBy: string;

  @Column({ name: 'updated_at', type: 'datetime', precision: 3 })
  updatedAt: Date;
}
