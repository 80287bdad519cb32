import { Body, Controller, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Roles, type AuthenticatedUser } from '@enforcement/auth';
import { ApiErrors } from '@enforcement/service-runtime';
import { IsString, Length } from 'class-validator';
import { ReviewDemandsService } from './review-demands.service';

export class ReviewDemandDto {
  @ApiProperty({ description: 'Why the case is sent to review', example: '案件涉及重大公共利益' })
  @IsString()
  @Length(2, 2000)
  reason: string;
}

/** Sending a case to legal review from outside the case (an agency head, a supervisor). */
@ApiTags('reviews')
@ApiBearerAuth()
@Controller('cases/:caseId/review-demands')
export class ReviewDemandsController {
  constructor(private readonly demands: ReviewDemandsService) {}

  @ApiOperation({ summary: 'Demand legal review of a case' })
  @ApiErrors(409, 422)
  @Post()
  @HttpCode(202)
  @Roles('agency-admin', 'supervisor')
  demand(@Param('caseId', ParseUUIDPipe) caseId: string, @Body() input: ReviewDemandDto, @CurrentUser() user: AuthenticatedUser) {
    return this.demands.demand(caseId, input.reason, user);
  }
}
