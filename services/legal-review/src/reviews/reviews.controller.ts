import { Body, Controller, Get, HttpCode, Param, ParseIntPipe, ParseUUIDPipe, Post, Query, Res, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Roles, type AuthenticatedUser } from '@enforcement/auth';
import { ApiErrors } from '@enforcement/service-runtime';
import type { FastifyReply as Response } from 'fastify';
import { AssignReviewDto, ConcludeReviewDto, ExtendReviewDto, ReviewListQuery, StaffingQuery } from './review.dto';
import { ReviewsService } from './reviews.service';

/** The review queue: reviewers and agency heads of an agency see its reviews, supervisors those of their region. */
@ApiTags('reviews')
@ApiBearerAuth()
@Controller()
export class ReviewsController {
  constructor(private readonly reviews: ReviewsService) {}

  @ApiOperation({ summary: 'List legal reviews' })
  @Get('reviews')
  list(@Query() query: ReviewListQuery, @CurrentUser() user: AuthenticatedUser) {
    return this.reviews.list(user, {
      status: query.status,
      overdue: query.overdue,
      agencyId: query.agencyId,
      limit: query.pageSize(),
      after: query.after(),
    });
  }

  @ApiOperation({ summary: 'Get a legal review with its rounds' })
  @Get('reviews/:id')
  detail(@Param('id', ParseUUIDPipe) id: string, @CurrentUser() user: AuthenticatedUser) {
    return this.reviews.detail(id, user);
  }

  @ApiOperation({ summary: 'Claim a legal review as its reviewer' })
  @ApiErrors(409, 422)
  @Post('reviews/:id/claim')
  @HttpCode(200)
  @Roles('reviewer')
  claim(@Param('id', ParseUUIDPipe) id: string, @CurrentUser() user: AuthenticatedUser) {
    return this.reviews.claim(id, user);
  }

  @ApiOperation({ summary: 'Assign a legal review to a reviewer' })
  @ApiErrors(409, 422)
  @Post('reviews/:id/assignment')
  @HttpCode(200)
  @Roles('agency-admin')
  assign(@Param('id', ParseUUIDPipe) id: string, @Body() input: AssignReviewDto, @CurrentUser() user: AuthenticatedUser) {
    return this.reviews.assign(id, user, input.reviewerOfficerId);
  }

  @ApiOperation({ summary: 'Conclude a round of legal review' })
  @ApiErrors(409, 422)
  @Post('reviews/:id/conclusion')
  @HttpCode(200)
  @Roles('reviewer')
  conclude(@Param('id', ParseUUIDPipe) id: string, @Body() input: ConcludeReviewDto, @CurrentUser() user: AuthenticatedUser) {
    return this.reviews.conclude(id, user, {
      outcome: input.outcome,
      items: input.items.map((finding) => ({ item: finding.item, result: finding.result, comment: finding.comment ?? '' })),
      opinion: input.opinion,
    });
  }

  @ApiOperation({ summary: 'Extend a legal review’s period' })
  @ApiErrors(409, 422)
  @Post('reviews/:id/extensions')
  @HttpCode(200)
  @Roles('agency-admin')
  extend(@Param('id', ParseUUIDPipe) id: string, @Body() input: ExtendReviewDto, @CurrentUser() user: AuthenticatedUser) {
    return this.reviews.extend(id, user, input);
  }

  /** The written opinion (法制审核意见书) of a concluded round, as stored; its SHA-256 in a header. */
  @ApiOperation({ summary: 'Download the written opinion of a concluded round' })
  @Get('reviews/:id/rounds/:number/opinion')
  async opinion(
    @Param('id', ParseUUIDPipe) id: string,
    @Param('number', ParseIntPipe) number: number,
    @CurrentUser() user: AuthenticatedUser,
    @Res({ passthrough: true }) response: Response,
  ): Promise<StreamableFile> {
    const { stream, sha256 } = await this.reviews.opinionOf(id, number, user);
    response.header('x-content-sha256', sha256);
    return new StreamableFile(stream, { type: 'application/pdf', disposition: `inline; filename="opinion-${id}-${number}.pdf"` });
  }

  @ApiOperation({ summary: 'An agency’s legal review workload' })
  @Get('agencies/:agencyId/review-workload')
  workload(@Param('agencyId', ParseUUIDPipe) agencyId: string, @CurrentUser() user: AuthenticatedUser) {
    return this.reviews.workload(agencyId, user);
  }

  @ApiOperation({ summary: 'An agency’s legal review staffing' })
  @Get('agencies/:agencyId/review-staffing')
  staffing(@Param('agencyId', ParseUUIDPipe) agencyId: string, @Query() query: StaffingQuery, @CurrentUser() user: AuthenticatedUser) {
    return this.reviews.staffing(agencyId, query.month, user);
  }
}
