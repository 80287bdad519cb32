import { Injectable, Logger, Optional } from '@nestjs/common';
import { Metrics } from '@enforcement/observability';

/** Where a changed original was noticed: a read that verified as it streamed, or the scheduled sweep. */
export type FixitySource = 'playback' | 'sweep';

export interface FixityFailure {
  evidenceId: string;
  caseId: string;
  expectedSha256: string;
  /** What the stored bytes hash to now; null when the object could not be read at all. */
  foundSha256: string | null;
  detail?: string;
}

/**
 * Raised whenever stored evidence no longer matches its sealed digest: an error log line naming the evidence, and
 * `evidence_fixity_failures_total{source}`, which alerting watches. A changed original is never a routine event.
 */
@Injectable()
export class EvidenceFixityAlarmService {
  private readonly logger = new Logger('EvidenceFixity');
  private readonly raised: Record<FixitySource, number> = { playback: 0, sweep: 0 };

  constructor(@Optional() private readonly metrics?: Metrics) {}

  raise(source: FixitySource, failure: FixityFailure): void {
    this.raised[source]++;
    this.metrics?.evidenceFixityFailures().inc({ source });
    this.logger.error(
      `evidence ${failure.evidenceId} (case ${failure.caseId}) fails its fixity check (${source}): sealed SHA-256 ` +
        `${failure.expectedSha256}, found ${failure.foundSha256 ?? 'nothing readable'}${failure.detail ? ` (${failure.detail})` : ''}`,
    );
  }

  /** Failures raised by this instance since it started, by source. */
  count(source: FixitySource): number {
    return this.raised[source];
  }
}
