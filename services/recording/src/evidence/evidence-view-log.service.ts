import { Injectable } from '@nestjs/common';
import type { AuthenticatedUser } from '@enforcement/auth';
import type { KeysetPage } from '@enforcement/service-runtime';
import { randomUUID } from 'node:crypto';
import type { CaseEntity } from '../cases/case.entity';
import { EvidenceViewEntity, type EvidenceViewKind } from './evidence-view.entity';
import { EvidenceViewRepository, type EvidenceViewQuery } from './evidence-view.repository';

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

/**
 * The viewing log of audio/video evidence (调阅记录): use and viewing of audio/video records is supervised
 * (国办发〔2018〕118号), so every playback, download and handed-out link leaves a row, written before the
 * first byte or the link leaves the service.
 */
@Injectable()
export class EvidenceViewLogService {
  constructor(private readonly views: EvidenceViewRepository) {}

  async record(view: NewEvidenceView): Promise<EvidenceViewEntity> {
    const row: EvidenceViewEntity = { id: randomUUID(), ...view };
    await this.views.insert(row);
    return row;
  }

  /** Newest first. */
  list(query: EvidenceViewQuery): Promise<KeysetPage<EvidenceViewEntity>> {
    return this.views.page(query);
  }
}
