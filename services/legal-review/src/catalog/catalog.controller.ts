import { Body, Controller, Get, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Roles, type AuthenticatedUser } from '@enforcement/auth';
import { ApiErrors } from '@enforcement/service-runtime';
import { PublishCatalogDto } from './catalog.dto';
import { CatalogService, type CatalogVersionView } from './catalog.service';

/**
 * The agency's major-decision catalog (目录清单): published (118号), so anyone signed in reads it; the agency's
 * administrators publish new versions.
 */
@ApiTags('catalog')
@ApiBearerAuth()
@Controller('agencies/:agencyId/catalog')
export class CatalogController {
  constructor(private readonly catalog: CatalogService) {}

  @ApiOperation({ summary: 'The agency’s current review catalog' })
  @Get()
  current(@Param('agencyId', ParseUUIDPipe) agencyId: string): Promise<CatalogVersionView> {
    return this.catalog.currentView(agencyId);
  }

  @ApiOperation({ summary: 'List the versions of the agency’s review catalog' })
  @Get('versions')
  versions(@Param('agencyId', ParseUUIDPipe) agencyId: string) {
    return this.catalog.versions(agencyId);
  }

  @ApiOperation({ summary: 'Get one version of the agency’s review catalog' })
  @Get('versions/:version')
  version(@Param('agencyId', ParseUUIDPipe) agencyId: string, @Param('version') version: string): Promise<CatalogVersionView> {
    return this.catalog.version(agencyId, /^\d{1,6}$/.test(version) ? Number(version) : Number.NaN);
  }

  @ApiOperation({ summary: 'Publish a new version of the agency’s review catalog' })
  @ApiErrors(409, 422)
  @Post('versions')
  @Roles('agency-admin', 'system-admin')
  @ApiCreatedResponse({ description: 'A new version, in force for proposals from now on; CatalogPublished announces its figures' })
  publish(
    @Param('agencyId', ParseUUIDPipe) agencyId: string,
    @Body() input: PublishCatalogDto,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<CatalogVersionView> {
    return this.catalog.publish(agencyId, input, user);
  }
}
