import { timestampFromDate } from '@enforcement/contracts';
import { CertificateLifecycle, type CertificateTerms } from './certificate-lifecycle';

/** The terms as they travel in events: printed days plus the instants that bound them. */
export function termsMessage(terms: CertificateTerms) {
  const { validFromAt, validUntilAt } = CertificateLifecycle.validity(terms);
  return {
    domains: terms.domains,
    regionCodes: terms.regionCodes,
    validFrom: timestampFromDate(validFromAt),
    validUntil: timestampFromDate(validUntilAt),
    validFromDate: terms.validFrom,
    validUntilDate: terms.validUntil,
  };
}
