import { Body, Controller, Get, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Roles, type AuthenticatedUser } from '@enforcement/auth';
import { ApiErrors } from '@enforcement/service-runtime';
import { IsString, Length } from 'class-validator';
import { CaseTraceService } from '../cases/case-trace.service';
import { CaseTraced } from '../cases/case-traced.decorator';
import { DecisionPeriodExtensionService } from './decision-period-extension.service';

export class ExtensionApprovalDto {
  @ApiProperty({ description: 'The head’s opinion (审批意见)', example: '案情复杂，需等待检验结论，同意延长办案期限' })
  @IsString()
  @Length(2, 500)
  comment!: string;
}

/** The officers' request to extend the decision period, and its approval by the agency's head (Art. 60). */
@ApiTags('cases')
@ApiBearerAuth()
@CaseTraced()
@Controller('cases/:caseId/decision-period-extension')
export class DecisionPeriodExtensionController {
  constructor(
    private readonly extensions: DecisionPeriodExtensionService,
    readonly caseTraces: CaseTraceService,
  ) {}

  @ApiOperation({ summary: 'Show a case’s extension request awaiting the agency head, and whether its decision period was extended' })
  @Get()
  status(@Param('caseId', ParseUUIDPipe) caseId: string, @CurrentUser() user: AuthenticatedUser) {
    return this.extensions.status(caseId, user);
  }

  @ApiOperation({ summary: 'Approve the pending extension of the decision period, as the agency head (its administrator)' })
  @ApiErrors(409)
  @Post('approval')
  @Roles('agency-admin')
  approve(@Param('caseId', ParseUUIDPipe) caseId: string, @Body() input: ExtensionApprovalDto, @CurrentUser() user: AuthenticatedUser) {
    return this.extensions.approve(caseId, input.comment, user);
  }
}
