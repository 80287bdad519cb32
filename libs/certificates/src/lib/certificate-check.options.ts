/** Settings of the certificate check in one service. */
export interface CertificateCheckModuleOptions {
  /**
   * How often the directory looks for certificate rows changed by other replicas' consumers, in ms (default
   * 1000). 0 turns polling off (tests drive `pollNow()` themselves).
   */
  pollIntervalMs?: number;
  /**
   * How far before the newest change it has seen each poll looks again, in ms (default 10 000). A change is
   * stamped with its writer's clock before its transaction commits, so it can become visible after a change
   * stamped later; the overlap must exceed the longest consumer transaction plus the clock skew between
   * replicas.
   */
  pollOverlapMs?: number;
  /** Now, for actions whose scope names no instant and for the time of refusals. */
  clock?: () => Date;
  /** Serve GET /supervision/certificate-refusals from this module (default true). */
  supervisionController?: boolean;
  /** How recently a co-officer's proof token must have been issued, in seconds (default 600). */
  coOfficerProofMaxAgeSeconds?: number;
}

export type ResolvedCertificateCheckOptions = Required<CertificateCheckModuleOptions>;

export const CERTIFICATE_CHECK_OPTIONS = Symbol('CERTIFICATE_CHECK_OPTIONS');

export const DEFAULT_CERTIFICATE_CHECK_OPTIONS: ResolvedCertificateCheckOptions = {
  pollIntervalMs: 1000,
  pollOverlapMs: 10_000,
  clock: () => new Date(),
  supervisionController: true,
  coOfficerProofMaxAgeSeconds: 600,
};

export function resolveCertificateCheckOptions(options: CertificateCheckModuleOptions = {}): ResolvedCertificateCheckOptions {
  const resolved = { ...DEFAULT_CERTIFICATE_CHECK_OPTIONS, ...withoutUndefined(options) };
  if (!(resolved.pollIntervalMs >= 0) || !(resolved.pollOverlapMs >= 0)) {
    throw new RangeError('certificate check: poll interval and overlap are milliseconds >= 0');
  }
  if (!Number.isInteger(resolved.coOfficerProofMaxAgeSeconds) || resolved.coOfficerProofMaxAgeSeconds <= 0) {
    throw new RangeError('certificate check: the co-officer proof age is a whole number of seconds > 0');
  }
  return resolved;
}

function withoutUndefined(options: CertificateCheckModuleOptions): CertificateCheckModuleOptions {
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)) as CertificateCheckModuleOptions;
}
