import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Roles, type AuthenticatedUser, type HttpRequest as Request } from '@enforcement/auth';
import { PresentedCertificates, RequiresCertificate, type PresentedCertificate } from '@enforcement/certificates';
import { ApiErrors } from '@enforcement/service-runtime';
import { CaseScopeResolver } from '../cases/case-scope.resolver';
import { CaseTraceService } from '../cases/case-trace.service';
import { CaseTraced } from '../cases/case-traced.decorator';
import { EvidenceSealerService } from './evidence-sealer.service';
import { EvidenceUploadService } from './evidence-upload.service';
import { CompleteEvidenceUploadDto, CreateEvidenceUploadDto } from './evidence.dto';

function header(request: Request, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Resumable upload of audio/video evidence: create, PUT numbered parts in any order (retry any), complete
 * with the expected SHA-256. Every step is an officer action of the case's agency behind the certificate
 * check for the case's domain and division (Administrative Penalty Law Art. 42).
 */
@ApiTags('evidence')
@ApiBearerAuth()
@CaseTraced()
@Controller('cases/:caseId/evidence/uploads')
@Roles('officer')
export class EvidenceUploadsController {
  constructor(
    private readonly uploads: EvidenceUploadService,
    private readonly sealer: EvidenceSealerService,
    readonly caseTraces: CaseTraceService,
  ) {}

  @ApiOperation({ summary: 'Start an evidence upload' })
  @ApiErrors(409, 422)
  @Post()
  @RequiresCertificate({ scope: CaseScopeResolver })
  create(@Param('caseId') caseId: string, @Body() input: CreateEvidenceUploadDto, @CurrentUser() user: AuthenticatedUser) {
    return this.uploads.create(user, caseId, input);
  }

  /** The body is the part's raw bytes, streamed to storage; never parsed or buffered beyond one part. */
  @ApiOperation({ summary: 'Upload one part of an evidence upload (raw bytes)' })
  @ApiErrors(409, 413, 422)
  @Put(':uploadId/parts/:partNumber')
  @RequiresCertificate({ scope: CaseScopeResolver })
  @ApiConsumes('application/octet-stream')
  @ApiBody({ schema: { type: 'string', format: 'binary' } })
  @ApiHeader({ name: 'X-Content-SHA256', required: false, description: 'SHA-256 (hex) of this part; a damaged part is refused at once' })
  uploadPart(
    @Param('caseId') caseId: string,
    @Param('uploadId') uploadId: string,
    @Param('partNumber') partNumber: string,
    @Req() request: Request,
    @CurrentUser() user: AuthenticatedUser,
  ) {
    // The raw request: its body, left unread by the body parsers, is the part's bytes.
    return this.uploads.uploadPart(user, caseId, uploadId, partNumber, request.raw, {
      contentType: header(request, 'content-type'),
      contentLength: header(request, 'content-length'),
      sha256: header(request, 'x-content-sha256'),
    });
  }

  @ApiOperation({ summary: 'Get an evidence upload’s status' })
  @Get(':uploadId')
  status(@Param('caseId') caseId: string, @Param('uploadId') uploadId: string, @CurrentUser() user: AuthenticatedUser) {
    return this.uploads.status(user, caseId, uploadId);
  }

  @ApiOperation({ summary: 'Complete an evidence upload and seal the evidence' })
  @ApiErrors(409, 422)
  @Post(':uploadId/complete')
  @RequiresCertificate({ scope: CaseScopeResolver })
  complete(
    @Param('caseId') caseId: string,
    @Param('uploadId') uploadId: string,
    @Body() input: CompleteEvidenceUploadDto,
    @CurrentUser() user: AuthenticatedUser,
    @PresentedCertificates() presented: PresentedCertificate[],
  ) {
    return this.sealer.complete(user, caseId, uploadId, input.sha256, presented, input.lateEntryReason);
  }

  /** Cancels an unfinished upload. Sealed evidence has no delete: originals are immutable. */
  @ApiOperation({ summary: 'Cancel an unfinished evidence upload' })
  @ApiErrors(409)
  @Delete(':uploadId')
  @HttpCode(204)
  @RequiresCertificate({ scope: CaseScopeResolver })
  async abort(@Param('caseId') caseId: string, @Param('uploadId') uploadId: string, @CurrentUser() user: AuthenticatedUser): Promise<void> {
    await this.uploads.abort(user, caseId, uploadId);
  }
}
