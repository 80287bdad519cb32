import { CertificatesError } from '../errors/certificates.error';
import { CertificateLifecycle, type CertificateStatus } from './certificate-lifecycle';

const terms = { domains: ['market-regulation'], regionCodes: ['310101'], validFrom: '2026-01-01', validUntil: '2026-12-31' };
const now = new Date('2026-06-01T00:00:00Z');
const state = (status: CertificateStatus, validUntilAt = new Date('2026-12-31T16:00:00Z')) => ({ status, validUntilAt });

function codeOf(work: () => unknown): string | undefined {
  try {
    work();
  } catch (error) {
    return error instanceof CertificatesError ? error.code : 'not a CertificatesError';
  }
  return undefined;
}

describe(CertificateLifecycle.name, () => {
  it('bounds validity by Shanghai days: from 00:00 +08:00 of the first day to 00:00 +08:00 after the last', () => {
    expect(CertificateLifecycle.validity(terms)).toEqual({
      validFromAt: new Date('2025-12-31T16:00:00.000Z'),
      validUntilAt: new Date('2026-12-31T16:00:00.000Z'),
    });
  });

  it('issues an active certificate and refuses impossible terms', () => {
    expect(CertificateLifecycle.issue(terms, now)).toEqual({ action: 'issue', from: null, to: 'active' });
    expect(codeOf(() => CertificateLifecycle.issue({ ...terms, validUntil: '2025-12-31' }, now))).toBe('INVALID_VALIDITY');
    expect(codeOf(() => CertificateLifecycle.issue({ ...terms, validFrom: '2026-02-30' }, now))).toBe('INVALID_VALIDITY');
    expect(codeOf(() => CertificateLifecycle.issue({ ...terms, domains: [] }, now))).toBe('INVALID_SCOPE');
    expect(codeOf(() => CertificateLifecycle.issue({ ...terms, validUntil: '2026-05-31' }, now))).toBe('INVALID_VALIDITY');
  });

  it.each([
    ['active', 'suspend', 'suspended'],
    ['suspended', 'reinstate', 'active'],
    ['active', 'revoke', 'revoked'],
    ['suspended', 'revoke', 'revoked'],
    ['expired', 'revoke', 'revoked'],
    ['active', 'renew', 'active'],
    ['expired', 'renew', 'active'],
  ] as const)('%s --%s--> %s', (from, action, to) => {
    expect(CertificateLifecycle.transition(state(from), action, now)).toEqual({ action, from, to });
  });

  it.each([
    ['revoked', 'reinstate'],
    ['revoked', 'renew'],
    ['suspended', 'renew'],
    ['active', 'reinstate'],
    ['expired', 'suspend'],
    ['revoked', 'suspend'],
  ] as const)('refuses %s --%s--> with CERTIFICATE_TRANSITION_NOT_ALLOWED', (from, action) => {
    expect(codeOf(() => CertificateLifecycle.transition(state(from), action, now))).toBe('CERTIFICATE_TRANSITION_NOT_ALLOWED');
  });

  it('expires only at the end of validity, not a millisecond before', () => {
    const end = new Date('2026-12-31T16:00:00.000Z');
    expect(codeOf(() => CertificateLifecycle.transition(state('active', end), 'expire', new Date(end.getTime() - 1)))).toBe(
      'CERTIFICATE_NOT_DUE',
    );
    expect(CertificateLifecycle.transition(state('active', end), 'expire', end).to).toBe('expired');
    expect(CertificateLifecycle.transition(state('suspended', end), 'expire', end).to).toBe('expired');
  });

  it('leaves a certificate reinstated after its validity expired', () => {
    const end = new Date('2026-05-31T16:00:00.000Z');
    expect(CertificateLifecycle.transition(state('suspended', end), 'reinstate', now).to).toBe('expired');
  });
});
