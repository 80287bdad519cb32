import { CertificateChecker, type CertifiedAction } from './certificate-checker';
import { CertificateIndex, certificateRecord, type CertificateFacts } from './certificate-index';
import { PENALTY_LAW_ART_42 } from './certificate-refusal-code';

// Valid for the Shanghai calendar days 2025-01-01 to 2026-12-31.
const VALID_FROM = new Date('2024-12-31T16:00:00Z');
const VALID_UNTIL = new Date('2026-12-31T16:00:00Z');
const DURING = new Date('2026-06-01T02:00:00Z');

function certificate(overrides: Partial<CertificateFacts> & Pick<CertificateFacts, 'id' | 'officerId'>): CertificateFacts {
  return {
    number: `No.${overrides.id}`,
    agencyId: 'agency-huangpu',
    status: 'active',
    domains: ['market-regulation'],
    regionCodes: ['310101'],
    validFrom: VALID_FROM,
    validUntil: VALID_UNTIL,
    version: 1,
    ...overrides,
  };
}

function indexOf(...facts: CertificateFacts[]): CertificateIndex {
  const index = new CertificateIndex();
  for (const fact of facts) index.put(certificateRecord(fact));
  return index;
}

function action(overrides: Partial<CertifiedAction> = {}): CertifiedAction {
  return { officerIds: ['zhang'], at: DURING, domain: 'market-regulation', regionCode: '310101', onSite: false, ...overrides };
}

describe(CertificateChecker.name, () => {
  const sut = new CertificateChecker();

  describe('the agency that issued the certificate', () => {
    const index = indexOf(
      certificate({ id: 'c-zhang', officerId: 'zhang' }),
      certificate({ id: 'c-li', officerId: 'li' }),
      certificate({ id: 'c-chen', officerId: 'chen', agencyId: 'agency-pudong' }),
      certificate({ id: 'c-both-a', officerId: 'zhou', agencyId: 'agency-pudong' }),
      certificate({ id: 'c-both-b', officerId: 'zhou', agencyId: 'agency-huangpu' }),
    );

    it("refuses an officer whose certificates were all issued by another agency, whatever the officer's token claims", () => {
      expect(sut.check(index, action({ officerIds: ['chen'], agencyIds: ['agency-huangpu'] }))).toMatchObject({
        ok: false,
        code: 'CERTIFICATE_OTHER_AGENCY',
        officerId: 'chen',
        article: PENALTY_LAW_ART_42,
      });
    });

    it('refuses a co-officer of another agency on site', () => {
      expect(sut.check(index, action({ officerIds: ['zhang', 'chen'], onSite: true, agencyIds: ['agency-huangpu'] }))).toMatchObject({
        ok: false,
        code: 'CERTIFICATE_OTHER_AGENCY',
        officerId: 'chen',
      });
    });

    it('accepts an assisting agency recorded for the case, and shows the certificate of the agency acted for', () => {
      expect(
        sut.check(index, action({ officerIds: ['zhang', 'chen'], onSite: true, agencyIds: ['agency-huangpu', 'agency-pudong'] })).ok,
      ).toBe(true);
      expect(sut.check(index, action({ officerIds: ['zhou'], agencyIds: ['agency-huangpu'] }))).toMatchObject({
        ok: true,
        presented: [expect.objectContaining({ certificateId: 'c-both-b', agencyId: 'agency-huangpu' })],
      });
    });

    it('still explains a refusal by the certificates of the right agency', () => {
      const suspended = indexOf(
        certificate({ id: 'c-x', officerId: 'xu', status: 'suspended' }),
        certificate({ id: 'c-y', officerId: 'xu', agencyId: 'agency-pudong' }),
      );

      expect(sut.check(suspended, action({ officerIds: ['xu'], agencyIds: ['agency-huangpu'] }))).toMatchObject({
        ok: false,
        code: 'CERTIFICATE_SUSPENDED',
      });
    });
  });

  describe('usable certificate', () => {
    it('lets an officer with an active certificate for the domain and region act, and returns it for the record', () => {
      const index = indexOf(certificate({ id: 'c1', officerId: 'zhang', number: '31010120250001' }));

      expect(sut.check(index, action())).toEqual({
        ok: true,
        presented: [
          {
            officerId: 'zhang',
            certificateId: 'c1',
            number: '31010120250001',
            agencyId: 'agency-huangpu',
            validUntil: '2026-12-31T16:00:00.000Z',
            lastValidDay: '2026-12-31',
          },
        ],
      });
    });

    it('presents, among several usable certificates, the one valid longest', () => {
      const index = indexOf(
        certificate({ id: 'short', officerId: 'zhang', validUntil: new Date('2026-07-31T16:00:00Z') }),
        certificate({ id: 'long', officerId: 'zhang' }),
        certificate({ id: 'other-domain', officerId: 'zhang', domains: ['transport'], validUntil: new Date('2030-01-01T00:00:00Z') }),
      );

      const result = sut.check(index, action());

      expect(result.ok && result.presented.map((p) => p.certificateId)).toEqual(['long']);
    });

    it('uses a usable certificate even when the officer also holds revoked and expired ones', () => {
      const index = indexOf(
        certificate({ id: 'old', officerId: 'zhang', status: 'expired' }),
        certificate({ id: 'revoked', officerId: 'zhang', status: 'revoked' }),
        certificate({ id: 'good', officerId: 'zhang' }),
      );

      expect(sut.check(index, action())).toMatchObject({ ok: true, presented: [{ certificateId: 'good' }] });
    });
  });

  describe('refusal codes', () => {
    it('refuses CERTIFICATE_MISSING to an officer without any certificate', () => {
      const index = indexOf(certificate({ id: 'c1', officerId: 'li' }));

      expect(sut.check(index, action())).toEqual({
        ok: false,
        code: 'CERTIFICATE_MISSING',
        message: expect.stringContaining('未持有行政执法证件'),
        officerId: 'zhang',
        article: PENALTY_LAW_ART_42,
      });
    });

    it('refuses CERTIFICATE_SUSPENDED while the certificate is suspended', () => {
      const index = indexOf(certificate({ id: 'c1', officerId: 'zhang', status: 'suspended', number: 'S-1' }));

      expect(sut.check(index, action())).toMatchObject({
        ok: false,
        code: 'CERTIFICATE_SUSPENDED',
        message: expect.stringContaining('已被暂扣'),
        officerId: 'zhang',
        certificateId: 'c1',
        article: PENALTY_LAW_ART_42,
      });
    });

    it('refuses CERTIFICATE_REVOKED once the certificate is revoked', () => {
      const index = indexOf(certificate({ id: 'c1', officerId: 'zhang', status: 'revoked' }));

      expect(sut.check(index, action())).toMatchObject({
        ok: false,
        code: 'CERTIFICATE_REVOKED',
        message: expect.stringContaining('已被吊销'),
      });
    });

    it('refuses CERTIFICATE_EXPIRED for a certificate marked expired', () => {
      const index = indexOf(certificate({ id: 'c1', officerId: 'zhang', status: 'expired' }));

      expect(sut.check(index, action())).toMatchObject({ ok: false, code: 'CERTIFICATE_EXPIRED', officerId: 'zhang' });
    });

    it('refuses CERTIFICATE_EXPIRED after the validity ran out even before the expiry job marked it', () => {
      const index = indexOf(certificate({ id: 'c1', officerId: 'zhang', status: 'active' }));

      expect(sut.check(index, action({ at: new Date('2027-03-01T00:00:00Z') }))).toMatchObject({
        ok: false,
        code: 'CERTIFICATE_EXPIRED',
        message: expect.stringContaining('有效期至 2026-12-31'),
      });
    });

    it('refuses CERTIFICATE_EXPIRED before the validity begins, saying when it will', () => {
      const index = indexOf(certificate({ id: 'c1', officerId: 'zhang' }));

      expect(sut.check(index, action({ at: new Date('2024-12-01T00:00:00Z') }))).toMatchObject({
        ok: false,
        code: 'CERTIFICATE_EXPIRED',
        message: expect.stringContaining('自 2025-01-01 起生效'),
      });
    });

    it('refuses CERTIFICATE_OUT_OF_SCOPE when no certificate covers the domain', () => {
      const index = indexOf(certificate({ id: 'c1', officerId: 'zhang', domains: ['transport'] }));

      expect(sut.check(index, action())).toMatchObject({
        ok: false,
        code: 'CERTIFICATE_OUT_OF_SCOPE',
        message: expect.stringContaining('market-regulation'),
        officerId: 'zhang',
      });
    });

    it('refuses CERTIFICATE_OUT_OF_SCOPE when no certificate covers the region', () => {
      const index = indexOf(certificate({ id: 'c1', officerId: 'zhang', regionCodes: ['310104'] }));

      expect(sut.check(index, action())).toMatchObject({ ok: false, code: 'CERTIFICATE_OUT_OF_SCOPE' });
    });

    it('refuses TOO_FEW_OFFICERS to one officer acting on site alone (Art. 42)', () => {
      const index = indexOf(certificate({ id: 'c1', officerId: 'zhang' }));

      expect(sut.check(index, action({ onSite: true }))).toEqual({
        ok: false,
        code: 'TOO_FEW_OFFICERS',
        message: expect.stringContaining('两名以上'),
        article: PENALTY_LAW_ART_42,
      });
    });
  });

  describe('which certificate explains a refusal', () => {
    it('explains by a certificate covering the scope rather than by one outside it', () => {
      const index = indexOf(
        certificate({ id: 'elsewhere', officerId: 'zhang', regionCodes: ['320102'] }),
        certificate({ id: 'here', officerId: 'zhang', status: 'suspended' }),
      );

      expect(sut.check(index, action())).toMatchObject({ code: 'CERTIFICATE_SUSPENDED', certificateId: 'here' });
    });

    it("explains by today's suspended certificate rather than by an old expired one", () => {
      const index = indexOf(
        certificate({
          id: 'old',
          officerId: 'zhang',
          status: 'expired',
          validFrom: new Date('2019-12-31T16:00:00Z'),
          validUntil: new Date('2024-12-31T16:00:00Z'),
        }),
        certificate({ id: 'current', officerId: 'zhang', status: 'suspended' }),
      );

      expect(sut.check(index, action())).toMatchObject({ code: 'CERTIFICATE_SUSPENDED', certificateId: 'current' });
    });

    it("explains by today's revoked certificate rather than by an old expired one", () => {
      const index = indexOf(
        certificate({ id: 'old', officerId: 'zhang', status: 'expired', validUntil: new Date('2025-06-30T16:00:00Z') }),
        certificate({ id: 'current', officerId: 'zhang', status: 'revoked' }),
      );

      expect(sut.check(index, action())).toMatchObject({ code: 'CERTIFICATE_REVOKED', certificateId: 'current' });
    });

    it('explains by the certificate valid latest when none is current', () => {
      const index = indexOf(
        certificate({
          id: 'revoked-long-ago',
          officerId: 'zhang',
          status: 'revoked',
          validFrom: new Date('2015-12-31T16:00:00Z'),
          validUntil: new Date('2020-12-31T16:00:00Z'),
        }),
        certificate({ id: 'lapsed', officerId: 'zhang', validUntil: new Date('2026-03-31T16:00:00Z') }),
      );

      expect(sut.check(index, action())).toMatchObject({ code: 'CERTIFICATE_EXPIRED', certificateId: 'lapsed' });
    });

    it('explains by the suspended rather than the revoked of two equally current certificates', () => {
      const index = indexOf(
        certificate({ id: 'revoked', officerId: 'zhang', status: 'revoked' }),
        certificate({ id: 'suspended', officerId: 'zhang', status: 'suspended' }),
      );

      expect(sut.check(index, action())).toMatchObject({ code: 'CERTIFICATE_SUSPENDED', certificateId: 'suspended' });
    });
  });

  describe('domain scope', () => {
    const index = indexOf(certificate({ id: 'c1', officerId: 'zhang', domains: ['market-regulation', 'transport'] }));

    it.each(['market-regulation', 'transport'])('covers %s, named on the certificate', (domain) => {
      expect(sut.check(index, action({ domain })).ok).toBe(true);
    });

    it.each(['ecology-environment', 'market', 'Market-Regulation'])('does not cover %s', (domain) => {
      expect(sut.check(index, action({ domain }))).toMatchObject({ code: 'CERTIFICATE_OUT_OF_SCOPE' });
    });
  });

  describe('region hierarchy (GB/T 2260)', () => {
    it.each([
      ['a province', '310000', '310101', true],
      ['a province', '310000', '310115', true],
      ['a province', '310000', '310000', true],
      ['a province', '310000', '320102', false],
      ['a city', '320100', '320102', true],
      ['a city', '320100', '320100', true],
      ['a city', '320100', '320205', false],
      ['a city', '320100', '320000', false],
      ['a district', '310101', '310101', true],
      ['a district', '310101', '310104', false],
      ['a district', '310101', '310100', false],
      ['a district', '310101', '310000', false],
    ])('a certificate for %s (%s) covering %s: %s', (_level, granted, target, covered) => {
      const index = indexOf(certificate({ id: 'c1', officerId: 'zhang', regionCodes: [granted] }));

      const result = sut.check(index, action({ regionCode: target }));

      expect(result.ok ? true : result.code).toBe(covered ? true : 'CERTIFICATE_OUT_OF_SCOPE');
    });

    it('covers the region through any one of several grants', () => {
      const index = indexOf(certificate({ id: 'c1', officerId: 'zhang', regionCodes: ['310101', '320100'] }));

      expect(sut.check(index, action({ regionCode: '320111' })).ok).toBe(true);
    });

    it('needs domain and region on the same certificate', () => {
      const index = indexOf(
        certificate({ id: 'domain-only', officerId: 'zhang', domains: ['market-regulation'], regionCodes: ['320102'] }),
        certificate({ id: 'region-only', officerId: 'zhang', domains: ['transport'], regionCodes: ['310101'] }),
      );

      expect(sut.check(index, action())).toMatchObject({ code: 'CERTIFICATE_OUT_OF_SCOPE' });
    });

    it('rejects an action region that is not a division code', () => {
      const index = indexOf(certificate({ id: 'c1', officerId: 'zhang' }));

      expect(() => sut.check(index, action({ regionCode: '31' }))).toThrow(RangeError);
    });
  });

  describe('validity at Asia/Shanghai day boundaries (valid_until exclusive)', () => {
    const index = indexOf(certificate({ id: 'c1', officerId: 'zhang' }));

    it('allows the last millisecond of 2026-12-31 in Shanghai', () => {
      expect(sut.check(index, action({ at: new Date('2026-12-31T15:59:59.999Z') })).ok).toBe(true);
    });

    it('refuses at 2027-01-01 00:00 in Shanghai', () => {
      expect(sut.check(index, action({ at: new Date('2026-12-31T16:00:00.000Z') }))).toMatchObject({
        code: 'CERTIFICATE_EXPIRED',
      });
    });

    it('allows from 2025-01-01 00:00 in Shanghai', () => {
      expect(sut.check(index, action({ at: new Date('2024-12-31T16:00:00.000Z') })).ok).toBe(true);
    });

    it('refuses the last millisecond of 2024-12-31 in Shanghai', () => {
      expect(sut.check(index, action({ at: new Date('2024-12-31T15:59:59.999Z') }))).toMatchObject({
        code: 'CERTIFICATE_EXPIRED',
      });
    });
  });

  describe('acting officers', () => {
    const index = indexOf(
      certificate({ id: 'c-zhang', officerId: 'zhang' }),
      certificate({ id: 'c-li', officerId: 'li' }),
      certificate({ id: 'c-wang', officerId: 'wang', status: 'suspended' }),
    );

    it('lets two certified officers act on site and presents both certificates, the caller first', () => {
      const result = sut.check(index, action({ officerIds: ['li', 'zhang'], onSite: true }));

      expect(result.ok && result.presented.map((p) => [p.officerId, p.certificateId])).toEqual([
        ['li', 'c-li'],
        ['zhang', 'c-zhang'],
      ]);
    });

    it('counts the same officer named twice once: alone on site', () => {
      expect(sut.check(index, action({ officerIds: ['zhang', 'zhang'], onSite: true }))).toMatchObject({
        code: 'TOO_FEW_OFFICERS',
        message: expect.stringContaining('仅有 1 名'),
      });
    });

    it('presents one certificate for an officer named twice off site', () => {
      const result = sut.check(index, action({ officerIds: ['zhang', 'zhang'] }));

      expect(result.ok && result.presented).toHaveLength(1);
    });

    it('refuses an on-site team with an uncertified member, naming that member', () => {
      expect(sut.check(index, action({ officerIds: ['zhang', 'nobody'], onSite: true }))).toMatchObject({
        code: 'CERTIFICATE_MISSING',
        officerId: 'nobody',
      });
    });

    it('refuses an on-site team with a suspended member, naming that member', () => {
      expect(sut.check(index, action({ officerIds: ['zhang', 'wang'], onSite: true }))).toMatchObject({
        code: 'CERTIFICATE_SUSPENDED',
        officerId: 'wang',
      });
    });

    it('checks co-officers off site too: every acting officer needs a certificate', () => {
      expect(sut.check(index, action({ officerIds: ['zhang', 'nobody'] }))).toMatchObject({
        code: 'CERTIFICATE_MISSING',
        officerId: 'nobody',
      });
    });

    it('refuses TOO_FEW_OFFICERS when no officer acts', () => {
      expect(sut.check(index, action({ officerIds: [] }))).toMatchObject({ code: 'TOO_FEW_OFFICERS' });
    });

    it('rejects an empty officer id', () => {
      expect(() => sut.check(index, action({ officerIds: ['zhang', ''] }))).toThrow(RangeError);
    });
  });
});
