import { chinaDayOf } from '@enforcement/calendar';
import { coveragePrefix, isDivisionCode } from './region-code';

export const CERTIFICATE_STATUSES = ['active', 'suspended', 'revoked', 'expired'] as const;
export type CertificateStatus = (typeof CERTIFICATE_STATUSES)[number];

export function isCertificateStatus(value: string): value is CertificateStatus {
  return (CERTIFICATE_STATUSES as readonly string[]).includes(value);
}

/** A certificate as the read model knows it. */
export interface CertificateFacts {
  id: string;
  number: string;
  officerId: string;
  agencyId: string;
  status: CertificateStatus;
  domains: readonly string[];
  /** GB/T 2260 division codes granted. */
  regionCodes: readonly string[];
  /** First valid instant (00:00 Asia/Shanghai of the first valid day). */
  validFrom: Date;
  /** Exclusive end of validity (00:00 Asia/Shanghai of the day after the last valid day). */
  validUntil: Date;
  /** Grows with every change to this certificate; the newer of two copies wins. */
  version: number;
}

/**
 * A certificate shaped for the check, which runs on every officer action: instants as epoch milliseconds,
 * region grants as the prefixes they cover, and what is shown to the party (亮证) formatted once.
 */
export interface CertificateRecord {
  readonly id: string;
  readonly number: string;
  readonly officerId: string;
  readonly agencyId: string;
  readonly status: CertificateStatus;
  readonly domains: readonly string[];
  readonly regionCodes: readonly string[];
  readonly regionPrefixes: readonly string[];
  readonly validFrom: number;
  readonly validUntil: number;
  readonly version: number;
  readonly validUntilIso: string;
  /** The last valid day as printed on the certificate, YYYY-MM-DD in Asia/Shanghai. */
  readonly lastValidDay: string;
}

export function certificateRecord(facts: CertificateFacts): CertificateRecord {
  const validUntil = facts.validUntil.getTime();
  return {
    id: facts.id,
    number: facts.number,
    officerId: facts.officerId,
    agencyId: facts.agencyId,
    status: facts.status,
    domains: [...facts.domains],
    regionCodes: [...facts.regionCodes],
    // A malformed code grants nothing rather than failing the whole load: the check stays closed for it.
    regionPrefixes: facts.regionCodes.filter(isDivisionCode).map(coveragePrefix),
    validFrom: facts.validFrom.getTime(),
    validUntil,
    version: facts.version,
    validUntilIso: facts.validUntil.toISOString(),
    lastValidDay: chinaDayOf(validUntil - 1),
  };
}

/** What the checker reads: the certificates held by one officer. */
export interface CertificateLookup {
  certificatesOf(officerId: string): readonly CertificateRecord[];
}

const NONE: readonly CertificateRecord[] = Object.freeze([]);

/** Certificates in memory by officer, so that a check costs a map lookup and a walk over a handful of rows. */
export class CertificateIndex implements CertificateLookup {
  private readonly byOfficer = new Map<string, CertificateRecord[]>();
  private readonly byId = new Map<string, CertificateRecord>();

  get size(): number {
    return this.byId.size;
  }

  certificatesOf(officerId: string): readonly CertificateRecord[] {
    return this.byOfficer.get(officerId) ?? NONE;
  }

  get(certificateId: string): CertificateRecord | undefined {
    return this.byId.get(certificateId);
  }

  /**
   * Takes `record` unless the index already holds the same or a newer version of it, so that a change applied
   * at commit and the same change found again by polling are one change. True when the record was taken.
   */
  put(record: CertificateRecord): boolean {
    const held = this.byId.get(record.id);
    if (held && held.version >= record.version) return false;
    if (held) this.removeFromOfficer(held);
    this.byId.set(record.id, record);
    const ofOfficer = this.byOfficer.get(record.officerId);
    if (ofOfficer) ofOfficer.push(record);
    else this.byOfficer.set(record.officerId, [record]);
    return true;
  }

  private removeFromOfficer(record: CertificateRecord): void {
    const ofOfficer = this.byOfficer.get(record.officerId);
    if (!ofOfficer) return;
    const remaining = ofOfficer.filter((candidate) => candidate.id !== record.id);
    if (remaining.length > 0) this.byOfficer.set(record.officerId, remaining);
    else this.byOfficer.delete(record.officerId);
  }
}
