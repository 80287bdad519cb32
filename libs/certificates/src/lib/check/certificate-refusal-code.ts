/** Why the certificate check refused an action; stable for clients and for the supervisors' log. */
export const CERTIFICATE_REFUSAL_CODES = [
  'CERTIFICATE_MISSING',
  'CERTIFICATE_EXPIRED',
  'CERTIFICATE_SUSPENDED',
  'CERTIFICATE_REVOKED',
  'CERTIFICATE_OUT_OF_SCOPE',
  'CERTIFICATE_OTHER_AGENCY',
  'TOO_FEW_OFFICERS',
  // A named co-officer did not prove presence with their own token (Art. 42: each acting officer acts in person).
  'CO_OFFICER_UNCONFIRMED',
  'CO_OFFICER_PROOF_INVALID',
  'CO_OFFICER_PROOF_REUSED',
] as const;

export type CertificateRefusalCode = (typeof CERTIFICATE_REFUSAL_CODES)[number];

export function isCertificateRefusalCode(value: string): value is CertificateRefusalCode {
  return (CERTIFICATE_REFUSAL_CODES as readonly string[]).includes(value);
}

/**
 * Administrative Penalty Law Art. 42: penalties are imposed by officers with enforcement qualification, and at
 * least two officers act. Every refusal of the check rests on it.
 */
export const PENALTY_LAW_ART_42 = '《中华人民共和国行政处罚法》第四十二条';
