import { Body, Controller, Get, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Roles, type AuthenticatedUser } from '@enforcement/auth';
import { ApiErrors } from '@enforcement/service-runtime';
import { IsString, Length } from 'class-validator';
import { CaseTraceService } from '../cases/case-trace.service';
import { CaseTraced } from '../cases/case-traced.decorator';
import { AudioVideoGapsService } from './audio-video-gaps.service';

export class GapApprovalDto {
  @ApiProperty({ description: 'Why the gap is accepted (审批意见)', example: '执法记录仪电量耗尽，已有询问笔录及现场照片佐证，同意' })
  @IsString()
  @Length(2, 500)
  comment!: string;
}

/** Gaps in a step's audio/video recording, and their approval by the agency head or a supervisor (国办发〔2018〕118号). */
@ApiTags('cases')
@ApiBearerAuth()
@CaseTraced()
@Controller('cases/:caseId/audio-video-gaps')
export class AudioVideoGapsController {
  constructor(
    private readonly gaps: AudioVideoGapsService,
    readonly caseTraces: CaseTraceService,
  ) {}

  @ApiOperation({ summary: 'List a case’s audio/video gaps awaiting approval' })
  @Get()
  pending(@Param('caseId', ParseUUIDPipe) caseId: string, @CurrentUser() user: AuthenticatedUser) {
    return this.gaps.pending(caseId, user);
  }

  @ApiOperation({ summary: 'Approve the justification of an audio/video gap' })
  @ApiErrors(409, 422)
  @Post(':recordId/approval')
  @Roles('agency-admin', 'supervisor')
  approve(
    @Param('caseId', ParseUUIDPipe) caseId: string,
    @Param('recordId', ParseUUIDPipe) recordId: string,
    @Body() input: GapApprovalDto,
    @CurrentUser() user: AuthenticatedUser,
  ) {
    return this.gaps.approve(caseId, recordId, input.comment, user);
  }
}
