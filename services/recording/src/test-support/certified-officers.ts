import type { INestApplication } from '@nestjs/common';
import { CertificateDirectory, KnownCertificateEntity } from '@enforcement/certificates';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';

/**
 * Puts an active market-regulation certificate for each officer (valid 2020–2099 in Shanghai, 310000) into the
 * service's certificate read model, as the certificates service's events would, and makes the guard see it.
 */
export async function certifyOfficers(
  app: INestApplication,
  agencyId: string,
  officerIds: readonly string[],
  validFrom = new Date('2020-01-01T00:00:00Z'),
) {
  const at = new Date();
  for (const officerId of officerIds) {
    await app
      .get(DataSource)
      .getRepository(KnownCertificateEntity)
      .insert({
        id: randomUUID(),
        number: `SH-T-${officerId.slice(0, 8)}`,
        officerId,
        agencyId,
        status: 'active',
        domains: ['market-regulation'],
        regionCodes: ['310000'],
        validFrom,
        validUntil: new Date('2099-01-01T00:00:00Z'),
        termsEventAt: at,
        statusEventAt: at,
        version: 1,
        updatedAt: at,
      });
  }
  await app.get(CertificateDirectory).pollNow();
}
