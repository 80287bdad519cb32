import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Roles, type AuthenticatedUser } from '@enforcement/auth';
import { pageView, type PageView } from '@enforcement/service-runtime';
import { supervisionListScope } from '../cases/supervision-scope';
import { EvidenceViewLogService } from './evidence-view-log.service';
import type { EvidenceViewEntity } from './evidence-view.entity';
import { EvidenceViewQueryDto } from './evidence.dto';

export interface EvidenceViewView {
  id: string;
  evidenceId: string;
  caseId: string;
  agencyId: string;
  regionCode: string;
  userId: string;
  viewerAgencyId: string;
  viewerRoles: string[];
  purpose: string;
  kind: string;
  byteRange: string | null;
  viewedAt: string;
}

/**
 * Who viewed which evidence, when and why (调阅监督): system administrators see every view, a supervisor the
 * views of evidence in the division they supervise and below.
 */
@ApiTags('supervision')
@ApiBearerAuth()
@Controller('supervision/evidence-views')
@Roles('supervisor', 'system-admin')
export class EvidenceSupervisionController {
  constructor(private readonly views: EvidenceViewLogService) {}

  @ApiOperation({ summary: 'Views of evidence, for supervision' })
  @Get()
  async list(@Query() query: EvidenceViewQueryDto, @CurrentUser() user: AuthenticatedUser): Promise<PageView<EvidenceViewView>> {
    const scope = supervisionListScope(user, { agencyAdmins: false });
    const page = await this.views.list({
      caseId: query.caseId,
      agencyId: query.agencyId,
      from: query.from === undefined ? undefined : new Date(query.from),
      to: query.to === undefined ? undefined : new Date(query.to),
      scope,
      limit: query.pageSize(),
      after: query.after(),
    });
    return pageView(page, view);
  }
}

function view(row: EvidenceViewEntity): EvidenceViewView {
  return {
    id: row.id,
    evidenceId: row.evidenceId,
    caseId: row.caseId,
    agencyId: row.agencyId,
    regionCode: row.regionCode,
    userId: row.userId,
    viewerAgencyId: row.viewerAgencyId,
    viewerRoles: row.viewerRoles,
    purpose: row.purpose,
    kind: row.kind,
    byteRange: row.byteRange,
    viewedAt: row.viewedAt.toISOString(),
  };
}
