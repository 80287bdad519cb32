import { Body, Controller, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiTags } from '@nestjs/swagger';
import { AgenciesService } from './agencies.service';
import type { AgencyEntity } from './agency.entity';
import { RegisterAgencyDto } from './register-agency.dto';

@ApiTags('agencies')
@Controller('agencies')
export class AgenciesController {
  constructor(private readonly agencies: AgenciesService) {}

  @Post()
  @ApiCreatedResponse({ description: 'The agency was registered and AgencyRegistered emitted' })
  register(@Body() input: RegisterAgencyDto): Promise<AgencyEntity> {
    return this.agencies.register(input, '');
  }
}
