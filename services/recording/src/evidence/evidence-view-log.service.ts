import { Injectable } from '@nestjs/common';
import type { AuthenticatedUser } from '@enforcement/auth';
import { coveragePrefix } from '@enforcement/certificates';
import { applyKeyset, keysetPage, type KeysetPage, type KeysetPosition } from '@enforcement/service-runtime';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { CaseEntity } from '../cases/case.entity';
import { EvidenceViewEntity, type EvidenceViewKind } from './evidence-view.entity';

export type NewEvidenceView = Omit<EvidenceViewEntity, 'id'>;

/** A viewing of one evidence item of a case by a user, as the log keeps it. */
export function evidenceViewOf(
  user: AuthenticatedUser,
  caseRow: Pick<CaseEntity, 'id' | 'agencyId' | 'regionCode'>,
  evidenceId: string,
  view: { purpose: string; kind: EvidenceViewKind; byteRange: string | null; viewedAt: Date },
): NewEvidenceView {
  return {
    evidenceId,
    caseId: caseRow.id,
    agencyId: caseRow.agencyId,
    regionCode: caseRow.regionCode,
    userId: user.userId,
    viewerAgencyId: user.agencyId,
    viewerRoles: [...user.roles],
    ...view,
  };
}

export interface EvidenceViewQuery {
  caseId?: string;
  /** The agency whose case holds the evidence. */
  agencyId?: string;
  /** Inclusive. */
  from?: Date;
  /** Exclusive. */
  to?: Date;
  /** Only views of evidence in this division and those below it (a supervisor's region). */
  withinRegion?: string;
  limit: number;
  after?: KeysetPosition;
}

/**
 * The viewing log of audio/video evidence (调阅记录): use and viewing of audio/video records is supervised
 * (国办发〔2018〕118号), so every playback, download and handed-out link leaves a row, written before the
 * first byte or the link leaves the service.
 */
@Injectable()
export class EvidenceViewLog {
  constructor(private readonly dataSource: DataSource) {}

  async record(view: NewEvidenceView): Promise<EvidenceViewEntity> {
    const row: EvidenceViewEntity = { id: randomUUID(), ...view };
    await this.dataSource.manager.insert(EvidenceViewEntity, row);
    return row;
  }

  /** Newest first. */
  async list(query: EvidenceViewQuery): Promise<KeysetPage<EvidenceViewEntity>> {
    const builder = applyKeyset(
      this.dataSource.getRepository(EvidenceViewEntity).createQueryBuilder('v'),
      { at: 'v.viewed_at', id: 'v.id', order: 'DESC' },
      query,
    );
    if (query.caseId) builder.andWhere('v.case_id = :caseId', { caseId: query.caseId });
    if (query.agencyId) builder.andWhere('v.agency_id = :agencyId', { agencyId: query.agencyId });
    if (query.from) builder.andWhere('v.viewed_at >= :from', { from: query.from });
    if (query.to) builder.andWhere('v.viewed_at < :to', { to: query.to });
    if (query.withinRegion) {
      // Digits only, so the prefix needs no LIKE escaping.
      builder.andWhere('v.region_code LIKE :region', { region: `${coveragePrefix(query.withinRegion)}%` });
    }
    return keysetPage(await builder.getMany(), query.limit, (row) => ({ at: row.viewedAt, id: row.id }));
  }
}
