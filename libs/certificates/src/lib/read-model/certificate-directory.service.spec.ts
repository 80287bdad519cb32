import { Logger } from '@nestjs/common';
import { openDatabase } from '@enforcement/persistence';
import type { DataSource } from 'typeorm';
import { CERTIFICATE_READ_MODEL_ENTITIES, CERTIFICATE_READ_MODEL_MIGRATIONS } from '../../index';
import { CertificateDirectoryService } from './certificate-directory.service';
import { CertificateReadModelRepository } from './certificate-read-model.repository';
import { KnownCertificateEntity } from './known-certificate.entity';

const quiet = new Logger('directory-test');
quiet.warn = () => undefined;

function row(id: string, updatedAt: Date, overrides: Partial<KnownCertificateEntity> = {}): KnownCertificateEntity {
  return {
    id,
    number: `No.${id}`,
    officerId: `officer-${id}`,
    agencyId: 'a',
    status: 'active',
    domains: ['market-regulation'],
    regionCodes: ['310000'],
    validFrom: new Date('2024-12-31T16:00:00Z'),
    validUntil: new Date('2026-12-31T16:00:00Z'),
    termsEventAt: updatedAt,
    statusEventAt: updatedAt,
    version: 1,
    updatedAt,
    ...overrides,
  };
}

describe(CertificateDirectoryService.name, () => {
  let dataSource: DataSource;
  let sut: CertificateDirectoryService;

  beforeEach(async () => {
    dataSource = await openDatabase({
      sqliteFile: ':memory:',
      entities: CERTIFICATE_READ_MODEL_ENTITIES,
      migrations: CERTIFICATE_READ_MODEL_MIGRATIONS,
    });
  });

  afterEach(async () => {
    await sut?.stop();
    await dataSource.destroy();
  });

  const insert = (rows: KnownCertificateEntity[]) => dataSource.getRepository(KnownCertificateEntity).insert(rows);

  it('loads every row at start, more than one page of them', async () => {
    const stamp = new Date('2026-06-01T00:00:00Z');
    const rows = Array.from({ length: 12_345 }, (_, i) => row(`c${i}`, stamp));
    for (let i = 0; i < rows.length; i += 500) await insert(rows.slice(i, i + 500));
    sut = new CertificateDirectoryService(new CertificateReadModelRepository(dataSource), { pollIntervalMs: 0 }, quiet);

    await sut.start();

    expect(sut.isLoaded).toBe(true);
    expect(sut.size).toBe(12_345);
    expect(sut.certificates.certificatesOf('officer-c12344').map((c) => c.id)).toEqual(['c12344']);
  });

  it('finds a change that became visible after a later one, within the overlap', async () => {
    sut = new CertificateDirectoryService(
      new CertificateReadModelRepository(dataSource),
      { pollIntervalMs: 0, pollOverlapMs: 5000 },
      quiet,
    );
    await sut.start();
    await insert([row('late-stamp-first', new Date('2026-06-01T00:00:10Z'))]);
    await sut.pollNow();

    // Stamped 3 s before the change already seen, committed after it: a slow transaction on another replica.
    await insert([row('slow', new Date('2026-06-01T00:00:07Z'))]);
    expect(await sut.pollNow()).toBe(1);

    expect(sut.versionOf('slow')).toBe(1);
  });

  it('takes a newer version of a row and ignores one it already has', async () => {
    sut = new CertificateDirectoryService(new CertificateReadModelRepository(dataSource), { pollIntervalMs: 0 }, quiet);
    await insert([row('c1', new Date('2026-06-01T00:00:00Z'))]);
    await sut.start();

    expect(await sut.pollNow()).toBe(0);
    await dataSource
      .getRepository(KnownCertificateEntity)
      .update({ id: 'c1' }, { status: 'suspended', version: 2, updatedAt: new Date('2026-06-01T00:00:01Z') });
    expect(await sut.pollNow()).toBe(1);

    expect(sut.certificates.certificatesOf('officer-c1').map((c) => [c.status, c.version])).toEqual([['suspended', 2]]);
    expect(sut.lastChangeAppliedAt).toBeInstanceOf(Date);
  });

  it('polls by itself at the configured interval until stopped', async () => {
    sut = new CertificateDirectoryService(new CertificateReadModelRepository(dataSource), { pollIntervalMs: 10 }, quiet);
    await sut.start();

    await insert([row('c1', new Date())]);
    const deadline = Date.now() + 5000;
    while (sut.versionOf('c1') === undefined && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(sut.versionOf('c1')).toBe(1);

    await sut.stop();
    await insert([row('c2', new Date())]);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(sut.versionOf('c2')).toBeUndefined();
  });
});
