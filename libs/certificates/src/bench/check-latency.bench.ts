import { CertificateChecker, type CertifiedAction } from '../lib/check/certificate-checker';
import { CertificateIndex, certificateRecord, type CertificateStatus } from '../lib/check/certificate-index';

export interface CheckLatencyOptions {
  /** Certificates loaded in the index. */
  certificates: number;
  /** Officers holding them (default certificates / 2.5, so most officers hold two or three). */
  officers?: number;
  /** Timed checks (default 100 000). */
  samples?: number;
  /** Untimed checks first, so the JIT has settled (default 20 000). */
  warmup?: number;
  /** Share of on-site actions, which check two officers (default 0.5). */
  onSiteShare?: number;
  seed?: number;
}

export interface CheckLatency {
  certificates: number;
  officers: number;
  samples: number;
  /** Milliseconds per check, the directory lookup and the rules included. */
  p50Ms: number;
  p99Ms: number;
  p999Ms: number;
  maxMs: number;
  meanMs: number;
  /** Share of checks that let the action through; the rest exercise the refusal paths. */
  approvedShare: number;
  /** Time to build the index, for scale. */
  buildMs: number;
}

const DOMAINS = ['market-regulation', 'ecology-environment', 'urban-management', 'transport', 'emergency-management', 'culture-tourism'];
const PROVINCES = ['11', '12', '31', '32', '33', '37', '44', '51', '61', '65'];
const DAY_MS = 24 * 3600 * 1000;
// 2026-06-01 00:00 Asia/Shanghai: the instant every action takes place.
const AT = Date.parse('2026-05-31T16:00:00Z');

/**
 * The certificate check alone (CertificateChecker against the in-memory CertificateIndex), as it runs on every
 * officer action, timed call by call. Synthetic certificates spread over provinces, cities and districts, with
 * the usual mix of statuses; actions mostly within the officer's own scope, some outside it.
 */
export function measureCheckLatency(options: CheckLatencyOptions): CheckLatency {
  const certificates = options.certificates;
  const officers = options.officers ?? Math.max(1, Math.round(certificates / 2.5));
  const samples = options.samples ?? 100_000;
  const warmup = options.warmup ?? 20_000;
  const onSiteShare = options.onSiteShare ?? 0.5;
  const random = mulberry32(options.seed ?? 42);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const district = () => `${pick(PROVINCES)}${two(1 + Math.floor(random() * 12))}${two(1 + Math.floor(random() * 20))}`;

  const buildStarted = process.hrtime.bigint();
  const index = new CertificateIndex();
  const scopes: { officerId: string; domain: string; regionCode: string }[] = [];
  for (let i = 0; i < certificates; i++) {
    const officerId = `officer-${i % officers}`;
    const home = district();
    const breadth = random();
    const granted = breadth < 0.6 ? home : breadth < 0.9 ? `${home.slice(0, 4)}00` : `${home.slice(0, 2)}0000`;
    const domains = random() < 0.7 ? [pick(DOMAINS)] : [pick(DOMAINS), pick(DOMAINS)];
    const roll = random();
    const status: CertificateStatus = roll < 0.9 ? 'active' : roll < 0.94 ? 'suspended' : roll < 0.97 ? 'expired' : 'revoked';
    const validFrom = AT - Math.floor(random() * 1500) * DAY_MS;
    index.put(
      certificateRecord({
        id: `certificate-${i}`,
        number: `31${String(i).padStart(10, '0')}`,
        officerId,
        agencyId: `agency-${home.slice(0, 4)}`,
        status,
        domains,
        regionCodes: [granted],
        validFrom: new Date(validFrom),
        validUntil: new Date(validFrom + 5 * 365 * DAY_MS),
        version: 1,
      }),
    );
    scopes.push({ officerId, domain: domains[0], regionCode: home });
  }
  const buildMs = Number(process.hrtime.bigint() - buildStarted) / 1e6;

  // On site, the partner is usually a colleague certified for the same domain in the same city.
  const colleagues = new Map<string, string[]>();
  for (const scope of scopes) {
    const key = `${scope.domain}|${scope.regionCode.slice(0, 4)}`;
    colleagues.set(key, [...(colleagues.get(key) ?? []), scope.officerId]);
  }
  const partnerOf = (own: { officerId: string; domain: string; regionCode: string }): string => {
    const pool = colleagues.get(`${own.domain}|${own.regionCode.slice(0, 4)}`) ?? [];
    return pool.length > 1 && random() < 0.9 ? pick(pool) : `officer-${Math.floor(random() * officers)}`;
  };

  const checker = new CertificateChecker();
  const actions: CertifiedAction[] = [];
  for (let i = 0; i < warmup + samples; i++) {
    const own = pick(scopes);
    const onSite = random() < onSiteShare;
    const outside = random() < 0.1;
    actions.push({
      officerIds: onSite ? [own.officerId, partnerOf(own)] : [own.officerId],
      at: new Date(AT),
      domain: outside ? pick(DOMAINS) : own.domain,
      regionCode: outside ? district() : own.regionCode,
      onSite,
    });
  }

  for (let i = 0; i < warmup; i++) checker.check(index, actions[i]);
  const timings = new Float64Array(samples);
  let approved = 0;
  for (let i = 0; i < samples; i++) {
    const action = actions[warmup + i];
    const started = process.hrtime.bigint();
    const result = checker.check(index, action);
    timings[i] = Number(process.hrtime.bigint() - started) / 1e6;
    if (result.ok) approved++;
  }
  timings.sort();
  let total = 0;
  for (const timing of timings) total += timing;
  return {
    certificates: index.size,
    officers,
    samples,
    p50Ms: percentile(timings, 0.5),
    p99Ms: percentile(timings, 0.99),
    p999Ms: percentile(timings, 0.999),
    maxMs: timings[samples - 1],
    meanMs: total / samples,
    approvedShare: approved / samples,
    buildMs,
  };
}

function percentile(sorted: Float64Array, share: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(share * sorted.length) - 1)];
}

function two(value: number): string {
  return String(value).padStart(2, '0');
}

/** A small seeded generator, so that runs compare like with like. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
