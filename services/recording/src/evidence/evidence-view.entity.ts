import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** archive-export: the evidence left inside a case archive someone downloaded. */
export type EvidenceViewKind = 'playback' | 'download' | 'presigned-url' | 'archive-export';

/**
 * One viewing of audio/video evidence (调阅), written before a byte leaves: audio/video records are managed
 * and their use and viewing supervised (国办发〔2018〕118号). Append-only; supervisors query it.
 */
@Entity({ name: 'evidence_views' })
@Index('ix_evidence_views_viewed', ['viewedAt', 'id'])
@Index('ix_evidence_views_case', ['caseId', 'viewedAt'])
@Index('ix_evidence_views_agency', ['agencyId', 'viewedAt'])
@Index('ix_evidence_views_region', ['regionCode', 'viewedAt'])
@Index('ix_evidence_views_evidence', ['evidenceId', 'viewedAt'])
export class EvidenceViewEntity {
  @PrimaryColumn({ name: 'id', type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'evidence_id', type: 'varchar', length: 36 })
  evidenceId: string;

  @Column({ name: 'case_id', type: 'varchar', length: 36 })
  caseId: string;

  /** The agency whose case holds the evidence: what supervisors filter by. */
  @Column({ name: 'agency_id', type: 'varchar', length: 36 })
  agencyId: string;

  /** The case's division, so a supervisor sees the views within their region. */
  @Column({ name: 'region_code', type: 'varchar', length: 12 })
  regionCode: string;

  /** Who viewed. */
  @Column({ name: 'user_id', type: 'varchar', length: 64 })
  userId: string;

  /** The viewer's own agency; empty for platform-wide users (system administrators, some supervisors). */
  @Column({ name: 'viewer_agency_id', type: 'varchar', length: 64 })
  viewerAgencyId: string;

  @Column({ name: 'viewer_roles', type: 'simple-json' })
  viewerRoles: string[];

  /** Why (调阅事由), as the viewer stated it. */
  @Column({ name: 'purpose', type: 'varchar', length: 500 })
  purpose: string;

  @Column({ name: 'kind', type: 'varchar', length: 16 })
  kind: EvidenceViewKind;

  /** The bytes served, e.g. `bytes=0-1023`; null for the whole object or a presigned URL. */
  @Column({ name: 'byte_range', type: 'varchar', length: 100, nullable: true })
  byteRange: string | null;

  @Column({ name: 'viewed_at', type: 'datetime', precision: 3 })
  viewedAt: Date;
}
