import { Controller, Get, Headers, Param, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, type AuthenticatedUser } from '@enforcement/auth';
import { ApiErrors, takeOverResponse, toDomainError } from '@enforcement/service-runtime';
import type { FastifyReply as Response } from 'fastify';
import { isRecordingError } from '../case-core/recording.error';
import { CaseTraceService } from '../cases/case-trace.service';
import { CaseTraced } from '../cases/case-traced.decorator';
import { EvidencePlaybackService } from './evidence-playback.service';
import { EvidenceAccessQueryDto, EvidenceUrlQueryDto } from './evidence.dto';
import { contentRange } from './http-range';

/**
 * Sealed evidence for readers of the case. Content and links need a stated purpose and are logged (调阅监督);
 * responses are never cached, since a cached copy would be a viewing nobody logged.
 */
@ApiTags('evidence')
@ApiBearerAuth()
@CaseTraced()
@Controller()
export class EvidenceController {
  constructor(
    private readonly playback: EvidencePlaybackService,
    readonly caseTraces: CaseTraceService,
  ) {}

  @ApiOperation({ summary: 'List a case’s sealed evidence' })
  @Get('cases/:caseId/evidence')
  list(@Param('caseId') caseId: string, @CurrentUser() user: AuthenticatedUser) {
    return this.playback.listForCase(user, caseId);
  }

  @ApiOperation({ summary: 'Get a sealed evidence item' })
  @Get('evidence/:evidenceId')
  get(@Param('evidenceId') evidenceId: string, @CurrentUser() user: AuthenticatedUser) {
    return this.playback.get(user, evidenceId);
  }

  @ApiOperation({ summary: 'Play back or download sealed evidence (ranges supported)' })
  @ApiErrors(416)
  @Get('evidence/:evidenceId/content')
  @ApiHeader({ name: 'Range', required: false, description: 'One byte range, e.g. bytes=0-1048575' })
  async content(
    @Param('evidenceId') evidenceId: string,
    @Query() query: EvidenceAccessQueryDto,
    @Headers('range') rangeHeader: string | undefined,
    @CurrentUser() user: AuthenticatedUser,
    @Res({ passthrough: true }) response: Response,
  ): Promise<void> {
    const download = query.download === 'true';
    response.header('Accept-Ranges', 'bytes');
    response.header('Cache-Control', 'private, no-store');
    let opened;
    try {
      opened = await this.playback.open(user, evidenceId, { purpose: query.purpose, rangeHeader, download });
    } catch (error) {
      if (isRecordingError(error, 'RANGE_NOT_SATISFIABLE')) {
        response.header('Content-Range', `bytes */${(error.details as { size: number }).size}`);
      }
      throw error;
    }
    const { item, range, size, length, stream } = opened;
    response.header('ETag', `"${item.sha256}"`);
    if (range !== undefined) {
      response.status(206);
      response.header('Content-Range', contentRange(range, size));
    }
    // Piped on the raw response, as Express did: a stream that fails (an original found changed in the store) cuts
    // the connection, before the status line if nothing was sent yet, where Fastify would answer an error in its place.
    response.header('Content-Type', item.mediaType);
    response.header('Content-Length', String(length));
    if (download) response.header('Content-Disposition', `attachment; filename="${item.id}"`);
    const raw = takeOverResponse(response);
    // A client that goes away must not leave the storage stream (and its connection) open.
    raw.once('close', () => stream.destroy());
    stream.once('error', () => raw.destroy());
    stream.pipe(raw);
  }

  @ApiOperation({ summary: 'A short-lived download URL of sealed evidence' })
  @ApiErrors(422)
  @Get('evidence/:evidenceId/url')
  async url(
    @Param('evidenceId') evidenceId: string,
    @Query() query: EvidenceUrlQueryDto,
    @CurrentUser() user: AuthenticatedUser,
    @Res({ passthrough: true }) response: Response,
  ) {
    response.header('Cache-Control', 'private, no-store');
    try {
      return await this.playback.presign(user, evidenceId, { purpose: query.purpose, ttlSeconds: query.ttlSeconds });
    } catch (error) {
      // Expected wherever the store cannot presign (embedded mode's local disk): an answer, not a fault for
      // the error log, which records every 5xx as one.
      if (isRecordingError(error, 'PRESIGN_NOT_SUPPORTED')) {
        const answer = toDomainError(error);
        response.status(answer.status);
        return answer.toBody();
      }
      throw error;
    }
  }
}
