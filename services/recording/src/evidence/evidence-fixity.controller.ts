import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Roles, type AuthenticatedUser } from '@enforcement/auth';
import { PageQuery, pageView, type PageView } from '@enforcement/service-runtime';
import { IsOptional, IsString, Length } from 'class-validator';
import { supervisionListScope } from '../cases/supervision-scope';
import type { EvidenceFixityCheckEntity } from './evidence-fixity-check.entity';
import { EvidenceFixityService } from './evidence-fixity.service';

export class FixityFailureQueryDto extends PageQuery({ defaultLimit: 50, maxLimit: 200 }) {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 36)
  caseId?: string;
}

export interface FixityFailureView {
  id: string;
  evidenceId: string;
  caseId: string;
  agencyId: string;
  regionCode: string;
  checkedAt: string;
  expectedSha256: string;
  /** null when the original could not be read at all (see detail). */
  foundSha256: string | null;
  detail: string | null;
}

/**
 * Originals the fixity sweep found changed or missing, newest first (执法监督): system administrators see all, a
 * supervisor those of the division they supervise and below.
 */
@ApiTags('supervision')
@ApiBearerAuth()
@Controller('supervision/evidence-fixity-failures')
@Roles('supervisor', 'system-admin')
export class EvidenceFixityController {
  constructor(private readonly fixity: EvidenceFixityService) {}

  @ApiOperation({ summary: 'List evidence originals the fixity sweep found changed or missing' })
  @Get()
  async list(@Query() query: FixityFailureQueryDto, @CurrentUser() user: AuthenticatedUser): Promise<PageView<FixityFailureView>> {
    const scope = supervisionListScope(user, { agencyAdmins: false });
    const page = await this.fixity.failures({ scope, caseId: query.caseId, limit: query.pageSize(), after: query.after() });
    return pageView(page, view);
  }
}

function view(row: EvidenceFixityCheckEntity): FixityFailureView {
  return {
    id: row.id,
    evidenceId: row.evidenceId,
    caseId: row.caseId,
    agencyId: row.agencyId,
    regionCode: row.regionCode,
    checkedAt: row.checkedAt.toISOString(),
    expectedSha256: row.expectedSha256,
    foundSha256: row.foundSha256,
    detail: row.detail,
  };
}
