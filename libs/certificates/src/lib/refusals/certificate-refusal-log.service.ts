import { Injectable } from '@nestjs/common';
import type { KeysetPage } from '@enforcement/service-runtime';
import { randomUUID } from 'node:crypto';
import type { CertificateRefusalEntity } from './certificate-refusal.entity';
import { CertificateRefusalRepository, type CertificateRefusalQuery } from './certificate-refusal.repository';

export type { CertificateRefusalQuery } from './certificate-refusal.repository';

export type NewCertificateRefusal = Omit<CertificateRefusalEntity, 'id'>;

/** The refusals of the certificate check, kept for supervisors (执法监督). */
@Injectable()
export class CertificateRefusalLogService {
  constructor(private readonly refusals: CertificateRefusalRepository) {}

  async record(refusal: NewCertificateRefusal): Promise<CertificateRefusalEntity> {
    const row: CertificateRefusalEntity = { id: randomUUID(), ...refusal };
    await this.refusals.insert(row);
    return row;
  }

  /** Newest first. */
  list(query: CertificateRefusalQuery): Promise<KeysetPage<CertificateRefusalEntity>> {
    return this.refusals.page(query);
  }
}
