import { CERTIFICATE_READ_MODEL_ENTITIES, CERTIFICATE_READ_MODEL_MIGRATIONS, KnownCertificateEntity } from '@enforcement/certificates';
import { openDatabase } from '@enforcement/persistence';
import { createTestDatabase, type TestDatabase } from '@enforcement/testing';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { seedOfficers } from '../test-support/legal-review-fixtures';
import { ReviewerDirectoryRepository } from './reviewer-directory.repository';
import { ReviewerDirectoryService } from './reviewer-directory.service';

const AGENCY = '00000000-0000-4000-8000-0000000000a1';
const OTHER = '00000000-0000-4000-8000-0000000000b2';
const officer = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

/** The reviewer directory over the certificate read model on MariaDB. */
describe('ReviewerDirectoryService over ReviewerDirectoryRepository on MariaDB', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let directory: ReviewerDirectoryService;

  beforeAll(async () => {
    database = await createTestDatabase('legal_review_reviewers');
    dataSource = await openDatabase({
      url: database.url,
      sqliteFile: ':memory:',
      entities: CERTIFICATE_READ_MODEL_ENTITIES,
      migrations: CERTIFICATE_READ_MODEL_MIGRATIONS,
    });
    directory = new ReviewerDirectoryService(new ReviewerDirectoryRepository(dataSource));
    await seedOfficers(dataSource, [
      { id: officer(1), agencyId: AGENCY, roles: ['officer'], certified: true },
      { id: officer(2), agencyId: AGENCY, roles: ['officer', 'reviewer'], certified: true },
      { id: officer(3), agencyId: AGENCY, roles: ['reviewer'] },
      { id: officer(4), agencyId: OTHER, roles: ['officer', 'reviewer'], certified: true },
      { id: officer(5), agencyId: AGENCY, roles: ['officer'] },
    ]);
    const now = new Date();
    const certificate = (officerId: string, status: 'active' | 'suspended') => ({
      id: randomUUID(),
      number: `SH-LR-X${randomUUID().slice(0, 8)}`,
      officerId,
      agencyId: AGENCY,
      status,
      domains: ['market-regulation'],
      regionCodes: ['310000'],
      validFrom: new Date('2020-01-01T00:00:00Z'),
      validUntil: new Date('2099-01-01T00:00:00Z'),
      termsEventAt: now,
      statusEventAt: now,
      version: 1,
      updatedAt: now,
    });
    // A second active certificate of officer 1 (another domain) and a suspended one of officer 5.
    await dataSource
      .getRepository(KnownCertificateEntity)
      .insert([certificate(officer(1), 'active'), certificate(officer(5), 'suspended')]);
  }, 60_000);

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  it('counts the agency’s officers with an active certificate once each, not suspended ones nor other agencies’', async () => {
    expect(await directory.enforcementOfficers(AGENCY)).toBe(2);
    expect(await directory.enforcementOfficers(OTHER)).toBe(1);
  });

  it('lists the agency’s reviewers only, in officer order, and names a candidate as qualified only with the role', async () => {
    expect((await directory.reviewers(AGENCY)).map((reviewer) => reviewer.officerId)).toEqual([officer(2), officer(3)]);
    expect(await directory.candidate(officer(1))).toMatchObject({ officerId: officer(1), agencyId: AGENCY, qualified: false });
    expect(await directory.candidate(officer(4))).toMatchObject({ agencyId: OTHER, qualified: true });
    expect(await directory.candidate(officer(9))).toBeNull();
  });
});
