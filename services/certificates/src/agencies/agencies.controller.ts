import { Body, Controller, Get, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Roles, type AuthenticatedUser } from '@enforcement/auth';
import { ApiErrors } from '@enforcement/service-runtime';
import { AgenciesService } from './agencies.service';
import type { AgencyEntity } from './agency.entity';
import { RegisterAgencyDto } from './register-agency.dto';

@ApiTags('agencies')
@ApiBearerAuth()
@Controller('agencies')
export class AgenciesController {
  constructor(private readonly agencies: AgenciesService) {}

  @ApiOperation({ summary: 'Register an agency' })
  @ApiErrors(409)
  @Post()
  @Roles('system-admin')
  @ApiCreatedResponse({ description: 'The agency was registered and AgencyRegistered emitted' })
  register(@Body() input: RegisterAgencyDto, @CurrentUser() user: AuthenticatedUser): Promise<AgencyEntity> {
    return this.agencies.register(input, user);
  }

  @ApiOperation({ summary: 'List agencies' })
  @Get()
  list(): Promise<AgencyEntity[]> {
    return this.agencies.list();
  }

  @ApiOperation({ summary: 'Get an agency' })
  @Get(':id')
  get(@Param('id', ParseUUIDPipe) id: string, @CurrentUser() user: AuthenticatedUser): Promise<AgencyEntity> {
    return this.agencies.get(id, user);
  }
}
