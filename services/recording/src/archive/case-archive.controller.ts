import { Controller, Get, Param, ParseUUIDPipe, Query, Res, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiProperty, ApiTags } from '@nestjs/swagger';
import { CurrentUser, type AuthenticatedUser } from '@enforcement/auth';
import { ApiErrors } from '@enforcement/service-runtime';
import { IsOptional, IsString } from 'class-validator';
import type { FastifyReply as Response } from 'fastify';
import { CaseAccessService } from '../cases/case-access.service';
import { CaseTraceService } from '../cases/case-trace.service';
import { CaseTraced } from '../cases/case-traced.decorator';
import { requirePurpose } from '../evidence/evidence-playback.service';
import { CaseArchiverService, type ArchiveVersion } from './case-archiver.service';

export class ArchiveExportQuery {
  @ApiProperty({ description: 'Why the archive, with its evidence originals, is exported (调阅事由); logged per evidence item' })
  @IsOptional()
  @IsString()
  purpose?: string;
}

@ApiTags('cases')
@ApiBearerAuth()
@CaseTraced()
@Controller('cases')
export class CaseArchiveController {
  constructor(
    private readonly access: CaseAccessService,
    private readonly archiver: CaseArchiverService,
    readonly caseTraces: CaseTraceService,
  ) {}

  /**
   * The case's latest archive (ZIP), streamed from object storage. Its SHA-256 as recorded when it was
   * made is in X-Archive-SHA256, so a downloaded copy can be checked against the service's own record.
   */
  /** Every archive of the case, oldest first: a case altered after closing has several, each verifiable on its own. */
  @ApiOperation({ summary: 'List every archive version of a case' })
  @Get(':caseId/archives')
  async versions(@Param('caseId', ParseUUIDPipe) caseId: string, @CurrentUser() user: AuthenticatedUser): Promise<ArchiveVersion[]> {
    await this.access.forReading(user, caseId);
    return this.archiver.versions(caseId);
  }

  /** One version of the case's archive (see `GET /cases/:caseId/archives`), exported like the latest. */
  @ApiOperation({ summary: 'Download one archive version of a case' })
  @Get(':caseId/archives/:archiveId')
  @ApiProduces('application/zip')
  async downloadVersion(
    @Param('caseId', ParseUUIDPipe) caseId: string,
    @Param('archiveId', ParseUUIDPipe) archiveId: string,
    @Query() query: ArchiveExportQuery,
    @CurrentUser() user: AuthenticatedUser,
    @Res({ passthrough: true }) response: Response,
  ): Promise<StreamableFile> {
    return this.export(caseId, query, user, response, archiveId);
  }

  @ApiOperation({ summary: 'Download the latest archive of a closed case' })
  @ApiErrors(409)
  @Get(':caseId/archive')
  @ApiProduces('application/zip')
  @ApiOkResponse({ description: 'The ZIP: case.json, records.jsonl, chain.json, evidence-manifest.json, evidence/, README.txt' })
  async download(
    @Param('caseId', ParseUUIDPipe) caseId: string,
    @Query() query: ArchiveExportQuery,
    @CurrentUser() user: AuthenticatedUser,
    @Res({ passthrough: true }) response: Response,
  ): Promise<StreamableFile> {
    return this.export(caseId, query, user, response);
  }

  private async export(
    caseId: string,
    query: ArchiveExportQuery,
    user: AuthenticatedUser,
    response: Response,
    archiveId?: string,
  ): Promise<StreamableFile> {
    const found = await this.access.forReading(user, caseId);
    const { archive, stream } = await this.archiver.exportLatest(user, found, requirePurpose(query.purpose), archiveId);
    response.header('X-Archive-SHA256', archive.sha256);
    const fileName = archive.objectKey.slice(archive.objectKey.lastIndexOf('/') + 1);
    return new StreamableFile(stream, {
      type: 'application/zip',
      length: Number(archive.sizeBytes),
      disposition: `attachment; filename="case-${caseId}-${fileName}"`,
    });
  }
}
