import { chinaDayOf } from '@enforcement/calendar';
import type { CertificateLookup, CertificateRecord } from './certificate-index';
import { PENALTY_LAW_ART_42, type CertificateRefusalCode } from './certificate-refusal-code';
import { isDivisionCode } from './region-code';

/** One officer action to be checked. */
export interface CertifiedAction {
  /** The acting officers, the caller first; duplicates count once. */
  officerIds: readonly string[];
  /** When the action takes place; validity is judged at this instant. */
  at: Date;
  /** Enforcement domain of the case, e.g. 'market-regulation'. */
  domain: string;
  /** GB/T 2260 division code where the case is handled. */
  regionCode: string;
  /** On-site steps (inspection, investigation, evidence collection) need two certified officers. */
  onSite: boolean;
  /** Only certificates issued by these agencies count (the case's, and assisting ones); absent: any agency's. */
  agencyIds?: readonly string[];
}

/**
 * A certificate an officer showed for the action (亮证, Administrative Penalty Law Art. 55): the record of the
 * step keeps it, so that anyone reading the record later sees who was qualified to act.
 */
export interface PresentedCertificate {
  officerId: string;
  certificateId: string;
  number: string;
  /** Agency that issued the certificate to the officer. */
  agencyId: string;
  /** Exclusive end of validity, ISO 8601 instant (00:00 Asia/Shanghai after the last valid day). */
  validUntil: string;
  /** The last valid day as printed on the certificate, YYYY-MM-DD. */
  lastValidDay: string;
}

export interface CertificateRefusal {
  ok: false;
  code: CertificateRefusalCode;
  /** For the officer, in Chinese. */
  message: string;
  /** The officer refused; absent when the refusal is about the team (TOO_FEW_OFFICERS). */
  officerId?: string;
  /** The certificate that came closest, when one covers the scope. */
  certificateId?: string;
  /** Why, when the code alone does not say (which check a co-officer's proof failed). */
  reason?: string;
  article: string;
}

export interface CertificateApproval {
  ok: true;
  /** One per acting officer, in the order of the action's officers. */
  presented: PresentedCertificate[];
}

export type CertificateCheckResult = CertificateApproval | CertificateRefusal;

/** Minimum acting officers on site (Administrative Penalty Law Art. 42). */
const MIN_OFFICERS_ON_SITE = 2;

/**
 * Whether the acting officers may take an action: each must hold a usable certificate for the case's domain and
 * region at the action's instant (持证上岗, Art. 42), and on site at least two must act (Art. 42).
 * Pure and synchronous: it runs on every officer action, against an in-memory index.
 */
export class CertificateChecker {
  check(certificates: CertificateLookup, action: CertifiedAction): CertificateCheckResult {
    const at = action.at.getTime();
    if (Number.isNaN(at)) throw new RangeError('the action has no valid instant');
    if (!action.domain) throw new RangeError('the action has no enforcement domain');
    if (!isDivisionCode(action.regionCode)) throw new RangeError(`not a GB/T 2260 division code: '${action.regionCode}'`);

    const officerIds = distinct(action.officerIds);
    // The team is judged before its members: a lone officer on site is refused for that, whatever they hold.
    if (officerIds.length === 0 || (action.onSite && officerIds.length < MIN_OFFICERS_ON_SITE)) {
      return tooFewOfficers(officerIds.length, action.onSite);
    }

    const presented: PresentedCertificate[] = [];
    for (const officerId of officerIds) {
      const all = certificates.certificatesOf(officerId);
      // A certificate is issued by an agency for its own enforcement: it does not let its holder act in the
      // cases of another agency (unless recorded as assisting), whatever agency the holder's token claims.
      const held = action.agencyIds ? all.filter((certificate) => action.agencyIds?.includes(certificate.agencyId)) : all;
      if (held.length === 0 && all.length > 0) return otherAgency(officerId);
      const usable = findUsable(held, at, action.domain, action.regionCode);
      if (!usable) return explainRefusal(officerId, held, at, action);
      presented.push({
        officerId,
        certificateId: usable.id,
        number: usable.number,
        agencyId: usable.agencyId,
        validUntil: usable.validUntilIso,
        lastValidDay: usable.lastValidDay,
      });
    }
    return { ok: true, presented };
  }
}

function distinct(ids: readonly string[]): string[] {
  const result: string[] = [];
  for (const id of ids) {
    if (!id) throw new RangeError('an acting officer id is empty');
    if (!result.includes(id)) result.push(id);
  }
  return result;
}

function covers(certificate: CertificateRecord, domain: string, regionCode: string): boolean {
  if (!certificate.domains.includes(domain)) return false;
  for (const prefix of certificate.regionPrefixes) {
    if (regionCode.startsWith(prefix)) return true;
  }
  return false;
}

function inValidity(certificate: CertificateRecord, at: number): boolean {
  return certificate.validFrom <= at && at < certificate.validUntil;
}

/**
 * The certificate to show when several are usable: the one valid longest, so that the record names the
 * certificate the officer will go on using. Status is trusted only together with the dates: a certificate whose
 * validity ran out is refused even before the expiry job marks it expired.
 */
function findUsable(held: readonly CertificateRecord[], at: number, domain: string, regionCode: string): CertificateRecord | undefined {
  let best: CertificateRecord | undefined;
  for (const certificate of held) {
    if (certificate.status !== 'active' || !inValidity(certificate, at) || !covers(certificate, domain, regionCode)) continue;
    if (!best || certificate.validUntil > best.validUntil) best = certificate;
  }
  return best;
}

type CandidateCode = 'CERTIFICATE_EXPIRED' | 'CERTIFICATE_SUSPENDED' | 'CERTIFICATE_REVOKED';

/** Among candidates equally current, the one nearest to usable explains the refusal. */
const CANDIDATE_RANK: Record<CandidateCode, number> = {
  CERTIFICATE_EXPIRED: 0,
  CERTIFICATE_SUSPENDED: 1,
  CERTIFICATE_REVOKED: 2,
};

function candidateCode(certificate: CertificateRecord, at: number): CandidateCode {
  // Suspension and revocation are decisions about the holder; they outweigh the dates.
  if (certificate.status === 'revoked') return 'CERTIFICATE_REVOKED';
  if (certificate.status === 'suspended') return 'CERTIFICATE_SUSPENDED';
  if (certificate.status === 'expired' || !inValidity(certificate, at)) return 'CERTIFICATE_EXPIRED';
  // An active, current certificate covering the scope would have been usable.
  throw new Error(`certificate ${certificate.id} is usable yet was refused`);
}

/**
 * Explains why none of the officer's certificates is usable by the certificate nearest to being usable among
 * those that cover the action's scope: the one current at the action's instant first (an old expired card says
 * less than today's suspended one), then the one valid latest, then expired before suspended before revoked.
 */
function explainRefusal(officerId: string, held: readonly CertificateRecord[], at: number, action: CertifiedAction): CertificateRefusal {
  if (held.length === 0) {
    return {
      ok: false,
      code: 'CERTIFICATE_MISSING',
      message: `执法人员（${officerId}）未持有行政执法证件，不得从事行政执法活动`,
      officerId,
      article: PENALTY_LAW_ART_42,
    };
  }
  let best: { certificate: CertificateRecord; code: CandidateCode; current: boolean } | undefined;
  for (const certificate of held) {
    if (!covers(certificate, action.domain, action.regionCode)) continue;
    const candidate = { certificate, code: candidateCode(certificate, at), current: inValidity(certificate, at) };
    if (!best || nearer(candidate, best)) best = candidate;
  }
  if (!best) {
    return {
      ok: false,
      code: 'CERTIFICATE_OUT_OF_SCOPE',
      message: `执法人员（${officerId}）的行政执法证件不含执法领域「${action.domain}」或不覆盖执法区域 ${action.regionCode}，不得超出证件载明的范围执法`,
      officerId,
      article: PENALTY_LAW_ART_42,
    };
  }
  const { certificate, code } = best;
  return {
    ok: false,
    code,
    message: refusalMessage(officerId, certificate, code, at),
    officerId,
    certificateId: certificate.id,
    article: PENALTY_LAW_ART_42,
  };
}

function nearer(
  a: { certificate: CertificateRecord; code: CandidateCode; current: boolean },
  b: { certificate: CertificateRecord; code: CandidateCode; current: boolean },
): boolean {
  if (a.current !== b.current) return a.current;
  if (a.certificate.validUntil !== b.certificate.validUntil) return a.certificate.validUntil > b.certificate.validUntil;
  return CANDIDATE_RANK[a.code] < CANDIDATE_RANK[b.code];
}

function refusalMessage(officerId: string, certificate: CertificateRecord, code: CandidateCode, at: number): string {
  const card = `执法人员（${officerId}）的行政执法证件（证号 ${certificate.number}）`;
  switch (code) {
    case 'CERTIFICATE_REVOKED':
      return `${card}已被吊销，不得从事行政执法活动`;
    case 'CERTIFICATE_SUSPENDED':
      return `${card}已被暂扣，暂扣期间不得从事行政执法活动`;
    case 'CERTIFICATE_EXPIRED':
      return at < certificate.validFrom
        ? `${card}自 ${chinaDayOf(certificate.validFrom)} 起生效，目前尚未生效`
        : `${card}有效期至 ${certificate.lastValidDay}，已过有效期`;
  }
}

function otherAgency(officerId: string): CertificateRefusal {
  return {
    ok: false,
    code: 'CERTIFICATE_OTHER_AGENCY',
    message: `执法人员（${officerId}）的行政执法证件由其他执法机关核发，不能用于本机关的执法活动（协助执法须在案件中登记协助机关）`,
    officerId,
    article: PENALTY_LAW_ART_42,
  };
}

function tooFewOfficers(count: number, onSite: boolean): CertificateRefusal {
  return {
    ok: false,
    code: 'TOO_FEW_OFFICERS',
    message: onSite ? `现场执法应当由两名以上持有有效行政执法证件的执法人员进行，本次仅有 ${count} 名` : '未指明实施执法行为的执法人员',
    article: PENALTY_LAW_ART_42,
  };
}
