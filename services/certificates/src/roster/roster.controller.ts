import { Body, Controller, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Roles, type AuthenticatedUser } from '@enforcement/auth';
import { ApiErrors, DomainError } from '@enforcement/service-runtime';
import { RosterImportService, type ImportMode } from './roster-import.service';

const MODES: readonly ImportMode[] = ['all-or-nothing', 'valid-rows'];

@ApiTags('roster')
@ApiBearerAuth()
@Controller('agencies/:agencyId/roster-imports')
export class RosterController {
  constructor(private readonly roster: RosterImportService) {}

  @ApiOperation({ summary: 'Import an agency’s officer roster (CSV)' })
  @ApiErrors(415, 422)
  @Post()
  @HttpCode(200)
  @Roles('agency-admin', 'system-admin')
  @ApiConsumes('text/csv')
  @ApiBody({
    description:
      'CSV with a header row: name,id_number,roles,certificate_number,issuing_authority,domains,region_codes,valid_from,valid_until',
  })
  @ApiQuery({ name: 'mode', enum: MODES, required: false })
  import(
    @Param('agencyId', ParseUUIDPipe) agencyId: string,
    @Body() csv: unknown,
    @Query('mode') mode: string | undefined,
    @CurrentUser() user: AuthenticatedUser,
  ) {
    if (typeof csv !== 'string' || csv.length === 0) {
      throw new DomainError('ROSTER_FORMAT', '请以 text/csv 格式提交名册文件', 415);
    }
    const chosen = (mode ?? 'all-or-nothing') as ImportMode;
    if (!MODES.includes(chosen)) throw new DomainError('VALIDATION_FAILED', 'mode 只能是 all-or-nothing 或 valid-rows', 400);
    return this.roster.import(agencyId, csv, chosen, user);
  }
}
