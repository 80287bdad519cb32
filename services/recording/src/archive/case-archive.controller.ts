import { Controller, Get, Param, ParseUUIDPipe, Res, StreamableFile, UseFilters } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import { CurrentUser, type AuthenticatedUser } from '@enforcement/auth';
import type { Response } from 'express';
import { CaseAccess } from '../cases/case-access.service';
import { RecordingErrorFilter } from '../http/recording-error.filter';
import { CaseArchiver } from './case-archiver';

@ApiTags('cases')
@ApiBearerAuth()
@UseFilters(RecordingErrorFilter)
@Controller('cases')
export class CaseArchiveController {
  constructor(
    private readonly access: CaseAccess,
    private readonly archiver: CaseArchiver,
  ) {}

  /**
   * The case's latest archive (ZIP), streamed from object storage. Its SHA-256 as recorded when it was
   * made is in X-Archive-SHA256, so a downloaded copy can be checked against the service's own record.
   */
  @Get(':caseId/archive')
  @ApiProduces('application/zip')
  @ApiOkResponse({ description: 'The ZIP: case.json, records.jsonl, chain.json, evidence-manifest.json, evidence/, README.txt' })
  async download(
    @Param('caseId', ParseUUIDPipe) caseId: string,
    @CurrentUser() user: AuthenticatedUser,
    @Res({ passthrough: true }) response: Response,
  ): Promise<StreamableFile> {
    await this.access.forReading(user, caseId);
    const { archive, stream } = await this.archiver.openLatest(caseId);
    response.setHeader('X-Archive-SHA256', archive.sha256);
    const fileName = archive.objectKey.slice(archive.objectKey.lastIndexOf('/') + 1);
    return new StreamableFile(stream, {
      type: 'application/zip',
      length: Number(archive.sizeBytes),
      disposition: `attachment; filename="case-${caseId}-${fileName}"`,
    });
  }
}
