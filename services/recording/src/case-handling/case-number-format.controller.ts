import { Body, Controller, Get, Param, ParseUUIDPipe, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { assertAgencyScope, CurrentUser, Roles, type AuthenticatedUser } from '@enforcement/auth';
import { chinaDayOf, yearOf } from '@enforcement/calendar';
import { ApiErrors } from '@enforcement/service-runtime';
import { IsString, MaxLength } from 'class-validator';
import {
  caseNumberTemplateProblems,
  DEFAULT_CASE_NUMBER_TEMPLATE,
  MAX_CASE_NUMBER_TEMPLATE_LENGTH,
  renderCaseNumber,
} from '../case-core/case-number';
import { RecordingError } from '../case-core/recording.error';
import { CaseRepository } from '../cases/case.repository';

export class CaseNumberFormatDto {
  @ApiProperty({
    example: '沪黄市监处罚〔{year}〕{seq}号',
    description: 'Literal text with {year} and {seq} (or {seq:N}, zero-padded) once each; {region} and {agency} may be used',
  })
  @IsString()
  @MaxLength(MAX_CASE_NUMBER_TEMPLATE_LENGTH)
  template!: string;
}

/** An agency's case number pattern (numbers restart each year); agency administrators set it for their agency. */
@ApiTags('cases')
@ApiBearerAuth()
@Controller('agencies/:agencyId/case-number-format')
export class CaseNumberFormatController {
  constructor(private readonly cases: CaseRepository) {}

  @ApiOperation({ summary: 'The agency’s case number format' })
  @Get()
  async get(@Param('agencyId', ParseUUIDPipe) agencyId: string, @CurrentUser() user: AuthenticatedUser) {
    assertAgencyScope(user, agencyId);
    const format = await this.cases.caseNumberFormat(agencyId);
    return view(agencyId, format?.template ?? DEFAULT_CASE_NUMBER_TEMPLATE, format === undefined);
  }

  @ApiOperation({ summary: 'Set the agency’s case number format' })
  @ApiErrors(422)
  @Put()
  @Roles('agency-admin', 'system-admin')
  async replace(
    @Param('agencyId', ParseUUIDPipe) agencyId: string,
    @Body() input: CaseNumberFormatDto,
    @CurrentUser() user: AuthenticatedUser,
  ) {
    assertAgencyScope(user, agencyId);
    const problems = caseNumberTemplateProblems(input.template);
    if (problems.length > 0) {
      throw new RecordingError(
        'CASE_NUMBER_TEMPLATE_INVALID',
        '案号格式须含年份 {year} 和序号 {seq} 各一次，且不含其他占位符或控制字符',
        'invalid',
        {
          problems: [{ field: 'template', problems }],
        },
      );
    }
    await this.cases.saveCaseNumberFormat({ agencyId, template: input.template, updatedBy: user.userId, updatedAt: new Date() });
    return view(agencyId, input.template, false);
  }
}

/** The pattern, and what this year's first number would look like (for a case of the division 000000). */
function view(agencyId: string, template: string, isDefault: boolean) {
  const year = yearOf(chinaDayOf(new Date()));
  return { template, isDefault, example: renderCaseNumber(template, { year, sequence: 1, regionCode: '000000', agencyId }) };
}
