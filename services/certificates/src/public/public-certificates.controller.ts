import { Controller, Get, HttpStatus, Inject, Param, UseGuards } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ThrottlerGuard } from '@nestjs/throttler';
import { Public } from '@enforcement/auth';
import { DomainError, SERVICE_CONFIG } from '@enforcement/service-runtime';
import { DataSource } from 'typeorm';
import { AgencyEntity } from '../agencies/agency.entity';
import { CertificateEntity } from '../certificates/certificate.entity';
import type { CertificatesConfig } from '../config/certificates-settings';
import { OfficerEntity } from '../officers/officer.entity';

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
    private readonly dataSource: DataSource,
    @Inject(SERVICE_CONFIG) private readonly config: CertificatesConfig,
  ) {}

  @Get(':number')
  @ApiOkResponse({ description: 'Holder name, agency, domains, status and validity; nothing else' })
  async verify(@Param('number') number: string): Promise<PublicCertificateView> {
    const certificate = await this.dataSource.getRepository(CertificateEntity).findOneBy({ number });
    if (!certificate) throw new DomainError('CERTIFICATE_NOT_FOUND', '未查询到该执法证件，请核实证号', HttpStatus.NOT_FOUND);
    const [officer, agency] = await Promise.all([
      this.dataSource.getRepository(OfficerEntity).findOneByOrFail({ id: certificate.officerId }),
      this.dataSource.getRepository(AgencyEntity).findOneByOrFail({ id: certificate.agencyId }),
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

  @Get(':number/qr-payload')
  qrPayload(@Param('number') number: string): { payload: string } {
    return { payload: certificateQrPayload(this.config.settings.publicBaseUrl, number) };
  }
}
