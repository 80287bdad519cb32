import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { HttpRequest as Request } from '@enforcement/auth';
import { PresentedCertificates, RequiresCertificate, type PresentedCertificate } from '@enforcement/certificates';

function queryText(request: Request, name: string): string {
  const value = request.query[name];
  return typeof value === 'string' ? value : '';
}

/**
 * Lets an officer's field app ask, before going on site, whether the officers who will act may do so
 * here: the same check every recorded step passes, answered from this service's own read model.
 */
@ApiTags('certificate-check')
@ApiBearerAuth()
@Controller('certificate-check')
export class PreflightController {
  @ApiOperation({ summary: 'Check the caller’s certificates before acting' })
  @Get()
  @ApiQuery({ name: 'domain', example: 'market-regulation' })
  @ApiQuery({ name: 'regionCode', example: '310101' })
  @ApiQuery({ name: 'onSite', required: false, enum: ['true', 'false'] })
  @ApiQuery({ name: 'coOfficerIds', required: false, description: 'comma-separated officer ids acting with the caller' })
  @ApiOkResponse({ description: 'The certificates the officers will show (亮证)' })
  @RequiresCertificate({
    scope: (request) => ({ domain: queryText(request, 'domain'), regionCode: queryText(request, 'regionCode') }),
    onSite: (request) => queryText(request, 'onSite') === 'true',
    coOfficers: (request) => queryText(request, 'coOfficerIds').split(',').filter(Boolean),
    // A question before going on site: nothing is recorded in the co-officers' names, so they need not confirm.
    coOfficerProofs: false,
  })
  check(@PresentedCertificates() presented: PresentedCertificate[]): { presented: PresentedCertificate[] } {
    return { presented };
  }
}
