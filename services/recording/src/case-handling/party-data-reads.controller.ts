import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Roles, type AuthenticatedUser } from '@enforcement/auth';
import { PageQuery, pageView, type PageView } from '@enforcement/service-runtime';
import { IsOptional, IsUUID } from 'class-validator';
import type { PartyDataReadEntity } from '../cases/party-data-read.entity';
import { PartyDataReadRepository } from '../cases/party-data-read.repository';
import { supervisionListScope } from '../cases/supervision-scope';

export class PartyDataReadQueryDto extends PageQuery({ defaultLimit: 50, maxLimit: 200 }) {
  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID()
  caseId?: string;

  @ApiPropertyOptional({ description: 'The agency whose case it is' })
  @IsOptional()
  @IsUUID()
  agencyId?: string;
}

/**
 * Who read which party's ID number and contacts, and when: system administrators see every read, a supervisor
 * the reads of cases in the division they supervise and below.
 */
@ApiTags('supervision')
@ApiBearerAuth()
@Controller('supervision/party-data-reads')
@Roles('supervisor', 'system-admin')
export class PartyDataReadsController {
  constructor(private readonly reads: PartyDataReadRepository) {}

  @ApiOperation({ summary: 'Reads of parties’ personal data, for supervision' })
  @Get()
  async list(@Query() query: PartyDataReadQueryDto, @CurrentUser() user: AuthenticatedUser): Promise<PageView<ReturnType<typeof view>>> {
    const scope = supervisionListScope(user, { agencyAdmins: false });
    const page = await this.reads.page({
      caseId: query.caseId,
      agencyId: query.agencyId,
      scope,
      limit: query.pageSize(),
      after: query.after(),
    });
    return pageView(page, view);
  }
}

function view(row: PartyDataReadEntity) {
  return {
    id: row.id,
    caseId: row.caseId,
    agencyId: row.agencyId,
    regionCode: row.regionCode,
    userId: row.userId,
    readAt: row.readAt.toISOString(),
  };
}
