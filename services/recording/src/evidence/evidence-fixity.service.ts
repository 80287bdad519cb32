import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { Events, timestampFromDate } from '@enforcement/contracts';
import { TransactionalOutbox } from '@enforcement/events';
import { OBJECT_STORAGE, type KeysetPage, type KeysetPosition } from '@enforcement/service-runtime';
import { isStorageError, StorageErrorCode, type ObjectStorage } from '@enforcement/storage';
import { randomUUID } from 'node:crypto';
import type { SupervisionScope } from '../cases/supervision-scope';
import { EvidenceFixityAlarmService, type FixitySource } from './evidence-fixity-alarm.service';
import type { EvidenceFixityCheckEntity } from './evidence-fixity-check.entity';
import { EvidenceFixityCheckRepository, type FixityCandidate } from './evidence-fixity-check.repository';
import { EVIDENCE_OPTIONS, resolveEvidenceOptions, type EvidenceOptions } from './evidence.options';

/** Why a check row has no sweep behind it. */
const AFTER_PLAYBACK = 'after a failed playback';

export interface SweepOutcome {
  checked: number;
  failed: number;
}

/**
 * Fixity of stored originals (issue #11): re-hashes them a batch at a time, those checked longest ago first, and
 * records every result. A changed or missing original is recorded, alarmed and announced (EvidenceFixityFailed, in
 * the transaction that records it); a store that cannot be reached is no finding, and ends the batch.
 */
@Injectable()
export class EvidenceFixityService {
  private readonly logger = new Logger(EvidenceFixityService.name);
  private readonly options: EvidenceOptions;
  /** Items being re-checked after a failed playback, so that players retrying at once do not each read it again. */
  private readonly rechecking = new Set<string>();

  constructor(
    private readonly checks: EvidenceFixityCheckRepository,
    private readonly alarm: EvidenceFixityAlarmService,
    private readonly outbox: TransactionalOutbox,
    @Inject(OBJECT_STORAGE) private readonly storage: ObjectStorage,
    @Optional() @Inject(EVIDENCE_OPTIONS) options?: Partial<EvidenceOptions>,
  ) {
    this.options = resolveEvidenceOptions(options);
  }

  get sweepIntervalMs(): number {
    return this.options.fixitySweepIntervalMs;
  }

  /** One run of the sweep; safe to repeat (a second check of an item is one more row). */
  async sweepBatch(signal?: AbortSignal, limit = this.options.fixitySweepBatchSize): Promise<SweepOutcome> {
    const outcome: SweepOutcome = { checked: 0, failed: 0 };
    for (const candidate of await this.checks.dueForCheck(limit)) {
      if (signal?.aborted) break;
      const found = await this.rehash(candidate);
      if (found === 'unavailable') break;
      outcome.checked++;
      if (!(await this.record(candidate, found, 'sweep'))) outcome.failed++;
    }
    return outcome;
  }

  /** Failed checks, newest first, within the scope. */
  failures(query: {
    scope: SupervisionScope;
    caseId?: string;
    limit: number;
    after?: KeysetPosition;
  }): Promise<KeysetPage<EvidenceFixityCheckEntity>> {
    return this.checks.failures(query);
  }

  /**
   * Re-hashes an original whose playback just failed its digest and records the result like the sweep does (row,
   * EvidenceFixityFailed), so supervisors see it and no presigned link is handed out before the next sweep comes
   * round. The playback raised the alarm already; an original whose latest check failed is not read again.
   */
  async recheckAfterPlayback(evidenceId: string): Promise<void> {
    if (this.rechecking.has(evidenceId)) return;
    this.rechecking.add(evidenceId);
    try {
      if (await this.lastCheckFailed(evidenceId)) return;
      const candidate = await this.checks.candidateOf(evidenceId);
      if (!candidate) return;
      const found = await this.rehash(candidate);
      if (found === 'unavailable') return;
      await this.record(candidate, { sha256: found.sha256, detail: found.detail ?? AFTER_PLAYBACK }, undefined);
    } finally {
      this.rechecking.delete(evidenceId);
    }
  }

  /** Whether the latest check of the item found it changed or gone (presigned links are not handed out then). */
  async lastCheckFailed(evidenceId: string): Promise<boolean> {
    const latest = await this.checks.latestOf(evidenceId);
    return latest !== undefined && !latest.ok;
  }

  private async rehash(candidate: FixityCandidate): Promise<{ sha256: string | null; detail: string | null } | 'unavailable'> {
    try {
      return { sha256: await this.storage.sha256Of(candidate.item.objectKey), detail: null };
    } catch (error) {
      if (isStorageError(error) && error.code !== StorageErrorCode.StorageUnavailable) return { sha256: null, detail: error.code };
      this.logger.warn(
        `fixity sweep stopped at evidence ${candidate.item.id}: storage unreachable (${error instanceof Error ? error.message : String(error)})`,
      );
      return 'unavailable';
    }
  }

  /** Records the result, alarming as `alarmAs` on a failure; true when the original is intact. */
  private async record(
    candidate: FixityCandidate,
    found: { sha256: string | null; detail: string | null },
    alarmAs: FixitySource | undefined,
  ): Promise<boolean> {
    const { item } = candidate;
    const row: EvidenceFixityCheckEntity = {
      id: randomUUID(),
      evidenceId: item.id,
      caseId: item.caseId,
      agencyId: candidate.agencyId,
      regionCode: candidate.regionCode,
      checkedAt: this.options.clock(),
      ok: found.sha256 === item.sha256,
      expectedSha256: item.sha256,
      foundSha256: found.sha256,
      detail: found.detail,
    };
    if (row.ok) {
      await this.checks.insert(row);
      return true;
    }
    await this.outbox.run(async (tx) => {
      await this.checks.insert(row, tx);
      await tx.emit(
        Events.EvidenceFixityFailed,
        {
          caseId: item.caseId,
          evidenceId: item.id,
          expectedSha256: item.sha256,
          foundSha256: found.sha256 ?? '',
          detail: found.detail ?? '',
          checkedAt: timestampFromDate(row.checkedAt),
        },
        { partitionKey: item.caseId, agencyId: candidate.agencyId },
      );
    });
    if (alarmAs === undefined) return false;
    this.alarm.raise(alarmAs, {
      evidenceId: item.id,
      caseId: item.caseId,
      expectedSha256: item.sha256,
      foundSha256: found.sha256,
      detail: found.detail ?? undefined,
    });
    return false;
  }
}
