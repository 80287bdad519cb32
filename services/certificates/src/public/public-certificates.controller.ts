import { Controller, Get, HttpStatus, Inject, Param, UseGuards } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ThrottlerGuard } from '@nestjs/throttler';
import { Public } from '@enforcement/auth';
import { DomainError, SERVICE_CONFIG } from '@enforcement/service-runtime';
import { AgencyRepository } from '../agencies/agency.repository';
import type { CertificateEntity } from '../certificates/certificate.entity';
import { CertificateRepository } from '../certificates/certificate.repository';
import type { CertificatesConfig } from '../config/certificates-settings';
import { OfficerRepository } from '../officers/officer.repository';

/** What anyone may learn by scanning a certificate: enough to tell a genuine, valid one (亮证执法, Art. 55). */
export interface PublicCertificateView {
  number: string;
  holderName: string;
  agencyName: string;
  domains: string[];
  status: CertificateEntity['status'];
  validFrom: string;
  validUntil: string;
}

/** The URL a certificate's QR code carries. */
export function certificateQrPayload(publicBaseUrl: string, number: string): string {
  return `${publicBaseUrl}/public/certificates/${encodeURIComponent(number)}`;
}

@ApiTags('public')
@Controller('public/certificates')
@Public()
@UseGuards(ThrottlerGuard)
export class PublicCertificatesController {
  constructor(
    private readonly certificates: CertificateRepository,
    private readonly officers: OfficerRepository,
    private readonly agencies: AgencyRepository,
    @Inject(SERVICE_CONFIG) private readonly config: CertificatesConfig,
  ) {}

  @ApiOperation({ summary: 'Verify a certificate by its number (public)' })
  @Get(':number')
  @ApiOkResponse({ description: 'Holder name, agency, domains, status and validity; nothing else' })
  async verify(@Param('number') number: string): Promise<PublicCertificateView> {
    const certificate = await this.certificates.findByNumber(number);
    if (!certificate) throw new DomainError('CERTIFICATE_NOT_FOUND', '未查询到该执法证件，请核实证号', HttpStatus.NOT_FOUND);
    const [officer, agency] = await Promise.all([
      this.officers.getById(certificate.officerId),
      this.agencies.getById(certificate.agencyId),
    ]);
    return {
      number: certificate.number,
      holderName: officer.name,
      agencyName: agency.name,
      domains: certificate.domains,
      status: certificate.status,
      validFrom: certificate.validFrom,
      validUntil: certificate.validUntil,
    };
  }

  @ApiOperation({ summary: 'The QR code payload of a certificate (public)' })
  @Get(':number/qr-payload')
  qrPayload(@Param('number') number: string): { payload: string } {
    return { payload: certificateQrPayload(this.config.settings.publicBaseUrl, number) };
  }
}
