import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Roles, type AuthenticatedUser } from '@enforcement/auth';
import { ApiErrors } from '@enforcement/service-runtime';
import { ReasonDto } from '../officers/officer.dto';
import { IssueCertificateDto, RenewCertificateDto } from './certificate.dto';
import { CertificatesService } from './certificates.service';

@ApiTags('certificates')
@ApiBearerAuth()
@Controller()
@Roles('agency-admin', 'system-admin')
export class CertificatesController {
  constructor(private readonly certificates: CertificatesService) {}

  @ApiOperation({ summary: 'Issue a certificate to an officer' })
  @ApiErrors(409, 422)
  @Post('officers/:officerId/certificates')
  issue(@Param('officerId', ParseUUIDPipe) officerId: string, @Body() input: IssueCertificateDto, @CurrentUser() user: AuthenticatedUser) {
    return this.certificates.issue(officerId, input, user);
  }

  @ApiOperation({ summary: 'Get a certificate' })
  @Get('certificates/:id')
  get(@Param('id', ParseUUIDPipe) id: string, @CurrentUser() user: AuthenticatedUser) {
    return this.certificates.get(id, user);
  }

  @ApiOperation({ summary: 'Renew a certificate' })
  @ApiErrors(409, 422)
  @Post('certificates/:id/renewal')
  @HttpCode(200)
  renew(@Param('id', ParseUUIDPipe) id: string, @Body() input: RenewCertificateDto, @CurrentUser() user: AuthenticatedUser) {
    const { reason, ...terms } = input;
    return this.certificates.renew(id, terms, reason, user);
  }

  @ApiOperation({ summary: 'Suspend a certificate' })
  @ApiErrors(409, 422)
  @Post('certificates/:id/suspension')
  @HttpCode(200)
  suspend(@Param('id', ParseUUIDPipe) id: string, @Body() input: ReasonDto, @CurrentUser() user: AuthenticatedUser) {
    return this.certificates.changeStatus(id, 'suspend', input.reason, user);
  }

  @ApiOperation({ summary: 'Reinstate a suspended certificate' })
  @ApiErrors(409, 422)
  @Post('certificates/:id/reinstatement')
  @HttpCode(200)
  reinstate(@Param('id', ParseUUIDPipe) id: string, @Body() input: ReasonDto, @CurrentUser() user: AuthenticatedUser) {
    return this.certificates.changeStatus(id, 'reinstate', input.reason, user);
  }

  @ApiOperation({ summary: 'Revoke a certificate' })
  @ApiErrors(409, 422)
  @Post('certificates/:id/revocation')
  @HttpCode(200)
  revoke(@Param('id', ParseUUIDPipe) id: string, @Body() input: ReasonDto, @CurrentUser() user: AuthenticatedUser) {
    return this.certificates.changeStatus(id, 'revoke', input.reason, user);
  }
}
