import { Body, Controller, Get, Param, ParseUUIDPipe, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { assertAgencyScope, CurrentUser, Roles, type AuthenticatedUser } from '@enforcement/auth';
import { ApiErrors } from '@enforcement/service-runtime';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min, ValidateNested } from 'class-validator';
import type { AgencyProcedureSettings } from '../case-core/procedure-settings';
import { ProcedureSettingsRepository } from '../procedure/procedure-settings.repository';

/** 1,000 亿元 in fen: far above any real threshold, below the safe-integer range. */
const MAX_FEN = 10_000_000_000_000;

export class AmountsByPartyDto {
  @ApiPropertyOptional({ description: 'fen (分)' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_FEN)
  'natural-person'?: number;

  @ApiPropertyOptional({ description: 'fen (分)' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_FEN)
  organisation?: number;
}

export class ProcedureSettingsDto {
  @ApiPropertyOptional({ type: AmountsByPartyDto, description: 'Art. 63 较大数额罚款, per party kind' })
  @IsOptional()
  @ValidateNested()
  @Type(() => AmountsByPartyDto)
  largeFineFen?: AmountsByPartyDto;

  @ApiPropertyOptional({ type: AmountsByPartyDto, description: 'Art. 63 较大数额/较大价值 of confiscation, per party kind' })
  @IsOptional()
  @ValidateNested()
  @Type(() => AmountsByPartyDto)
  largeConfiscationFen?: AmountsByPartyDto;

  @ApiPropertyOptional({ description: "The party's statement and defence period after the notice, working days", default: 5 })
  @IsOptional()
  @IsInt()
  @Min(3)
  @Max(30)
  statementPeriodWorkingDays?: number;

  @ApiProperty({ required: false, description: 'A step entered this long after it happened needs a reason (minutes)', default: 1440 })
  @IsOptional()
  @IsInt()
  @Min(10)
  @Max(30 * 24 * 60)
  lateEntryLimitMinutes?: number;

  @ApiProperty({
    required: false,
    description: 'Audio/video footage sealed this long after its recording ended needs a reason (minutes)',
    default: 1440,
  })
  @IsOptional()
  @IsInt()
  @Min(10)
  @Max(30 * 24 * 60)
  footageUploadLimitMinutes?: number;
}

function view(settings: AgencyProcedureSettings) {
  return {
    largeFineFen: settings.thresholds.largeFineFen,
    largeConfiscationFen: settings.thresholds.largeConfiscationFen,
    statementPeriodWorkingDays: settings.policy.statementPeriodWorkingDays,
    lateEntryLimitMinutes: Math.round(settings.policy.lateEntryLimitMs / 60_000),
    footageUploadLimitMinutes: Math.round(settings.policy.footageUploadLimitMs / 60_000),
  };
}

/** An agency's procedure data (Art. 63 large amounts, the statement period, the late-entry limit); unset values are defaults. */
@ApiTags('cases')
@ApiBearerAuth()
@Controller()
export class ProcedureSettingsController {
  constructor(private readonly settings: ProcedureSettingsRepository) {}

  @ApiOperation({ summary: 'The agency’s procedure settings' })
  @Get('agencies/:agencyId/procedure-settings')
  async get(@Param('agencyId', ParseUUIDPipe) agencyId: string, @CurrentUser() user: AuthenticatedUser) {
    assertAgencyScope(user, agencyId);
    return view(await this.settings.settingsOf(agencyId));
  }

  @ApiOperation({ summary: 'Set the agency’s procedure settings' })
  @ApiErrors(422)
  @Put('agencies/:agencyId/procedure-settings')
  @Roles('agency-admin', 'system-admin')
  async replace(
    @Param('agencyId', ParseUUIDPipe) agencyId: string,
    @Body() input: ProcedureSettingsDto,
    @CurrentUser() user: AuthenticatedUser,
  ) {
    assertAgencyScope(user, agencyId);
    return view(await this.settings.replace(agencyId, input, `admin:${user.userId}`));
  }
}
