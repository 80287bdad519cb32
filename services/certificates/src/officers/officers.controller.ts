import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Roles, type AuthenticatedUser } from '@enforcement/auth';
import { ApiErrors } from '@enforcement/service-runtime';
import { GrantQualificationDto, ReasonDto, RegisterOfficerDto, SetRolesDto } from './officer.dto';
import { OfficersService } from './officers.service';

@ApiTags('officers')
@ApiBearerAuth()
@Controller()
export class OfficersController {
  constructor(private readonly officers: OfficersService) {}

  @ApiOperation({ summary: 'Register an officer of an agency' })
  @ApiErrors(409, 422)
  @Post('agencies/:agencyId/officers')
  @Roles('agency-admin', 'system-admin')
  register(@Param('agencyId', ParseUUIDPipe) agencyId: string, @Body() input: RegisterOfficerDto, @CurrentUser() user: AuthenticatedUser) {
    return this.officers.register(agencyId, input, user);
  }

  @ApiOperation({ summary: 'List an agency’s officers' })
  @Get('agencies/:agencyId/officers')
  @Roles('agency-admin', 'system-admin')
  list(@Param('agencyId', ParseUUIDPipe) agencyId: string, @CurrentUser() user: AuthenticatedUser) {
    return this.officers.list(agencyId, user);
  }

  @ApiOperation({ summary: 'Set an officer’s roles' })
  @ApiErrors(422)
  @Put('officers/:id/roles')
  @Roles('agency-admin', 'system-admin')
  setRoles(@Param('id', ParseUUIDPipe) id: string, @Body() input: SetRolesDto, @CurrentUser() user: AuthenticatedUser) {
    return this.officers.setRoles(id, input.roles, input.supervisedRegionCode, user);
  }

  @ApiOperation({ summary: 'Grant an officer the legal-review qualification' })
  @ApiErrors(409, 422)
  @Post('officers/:id/review-qualification')
  @Roles('agency-admin', 'system-admin')
  grantQualification(@Param('id', ParseUUIDPipe) id: string, @Body() input: GrantQualificationDto, @CurrentUser() user: AuthenticatedUser) {
    return this.officers.grantQualification(id, input, user);
  }

  @ApiOperation({ summary: 'Withdraw an officer’s legal-review qualification' })
  @ApiErrors(409)
  @Delete('officers/:id/review-qualification')
  @HttpCode(204)
  @Roles('agency-admin', 'system-admin')
  async withdrawQualification(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() input: ReasonDto,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<void> {
    await this.officers.withdrawQualification(id, input.reason, user);
  }
}
