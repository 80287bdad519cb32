import { CertificateIndex, certificateRecord, type CertificateFacts } from './certificate-index';

function facts(overrides: Partial<CertificateFacts> = {}): CertificateFacts {
  return {
    id: 'c1',
    number: 'N1',
    officerId: 'zhang',
    agencyId: 'a',
    status: 'active',
    domains: ['market-regulation'],
    regionCodes: ['310000'],
    validFrom: new Date('2024-12-31T16:00:00Z'),
    validUntil: new Date('2026-12-31T16:00:00Z'),
    version: 1,
    ...overrides,
  };
}

describe(CertificateIndex.name, () => {
  let sut: CertificateIndex;

  beforeEach(() => {
    sut = new CertificateIndex();
  });

  it('keeps the newer of two versions whichever arrives first', () => {
    sut.put(certificateRecord(facts({ version: 3, status: 'suspended' })));

    expect(sut.put(certificateRecord(facts({ version: 2, status: 'active' })))).toBe(false);
    expect(sut.put(certificateRecord(facts({ version: 3, status: 'active' })))).toBe(false);
    expect(sut.certificatesOf('zhang').map((c) => c.status)).toEqual(['suspended']);
  });

  it('replaces a certificate in its officer list instead of adding a second copy', () => {
    sut.put(certificateRecord(facts()));
    sut.put(certificateRecord(facts({ id: 'c2' })));
    sut.put(certificateRecord(facts({ version: 2, status: 'revoked' })));

    expect(sut.size).toBe(2);
    expect(sut.certificatesOf('zhang').map((c) => [c.id, c.status])).toEqual([
      ['c2', 'active'],
      ['c1', 'revoked'],
    ]);
  });

  it('moves a certificate to another officer when a newer version says so', () => {
    sut.put(certificateRecord(facts()));
    sut.put(certificateRecord(facts({ version: 2, officerId: 'li' })));

    expect(sut.certificatesOf('zhang')).toEqual([]);
    expect(sut.certificatesOf('li').map((c) => c.id)).toEqual(['c1']);
  });

  it('turns region grants into the prefixes they cover and drops malformed ones', () => {
    const record = certificateRecord(facts({ regionCodes: ['310000', '320100', '330102', '31'] }));

    expect(record.regionPrefixes).toEqual(['31', '3201', '330102']);
    expect(record.lastValidDay).toBe('2026-12-31');
  });
});
