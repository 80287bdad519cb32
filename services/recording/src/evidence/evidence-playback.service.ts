import { Inject, Injectable, Optional } from '@nestjs/common';
import type { AuthenticatedUser } from '@enforcement/auth';
import { OBJECT_STORAGE } from '@enforcement/service-runtime';
import type { ObjectStorage } from '@enforcement/storage';
import type { Readable } from 'node:stream';
import { CaseAccessService } from '../cases/case-access.service';
import type { CaseEntity } from '../cases/case.entity';
import type { EvidenceItemEntity } from './evidence-item.entity';
import { EvidenceItemRepository } from './evidence-item.repository';
import { evidenceItemView, type EvidenceItemView } from './evidence-item.view';
import { EvidenceViewLogService, evidenceViewOf } from './evidence-view-log.service';
import type { EvidenceViewKind } from './evidence-view.entity';
import { EvidenceErrors, fromStorageError } from './evidence.errors';
import { EVIDENCE_OPTIONS, resolveEvidenceOptions, type EvidenceOptions } from './evidence.options';
import { exactLength } from './exact-length';
import { resolveRangeHeader, type ResolvedRange } from './http-range';

const PURPOSE_MIN = 2;
const PURPOSE_MAX = 500;

export interface OpenedEvidence {
  item: EvidenceItemView;
  /** Size of the whole object. */
  size: number;
  /** The part served (206), or undefined for the whole object (200). */
  range: ResolvedRange | undefined;
  /** Bytes in `stream`. */
  length: number;
  stream: Readable;
}

export interface PresignedEvidenceUrl {
  url: string;
  expiresAt: string;
}

/**
 * Reading sealed evidence: metadata for those who may read the case (its agency, supervisors of its region,
 * system administrators), and the bytes only with a stated purpose, each viewing logged first.
 */
@Injectable()
export class EvidencePlaybackService {
  private readonly options: EvidenceOptions;

  constructor(
    private readonly items: EvidenceItemRepository,
    private readonly cases: CaseAccessService,
    private readonly views: EvidenceViewLogService,
    @Inject(OBJECT_STORAGE) private readonly storage: ObjectStorage,
    @Optional() @Inject(EVIDENCE_OPTIONS) options?: Partial<EvidenceOptions>,
  ) {
    this.options = resolveEvidenceOptions(options);
  }

  async listForCase(user: AuthenticatedUser, caseId: string): Promise<EvidenceItemView[]> {
    const caseRow = await this.cases.forReading(user, caseId);
    const items = await this.items.allOfCase(caseRow.id);
    return items.map(evidenceItemView);
  }

  async get(user: AuthenticatedUser, evidenceId: string): Promise<EvidenceItemView> {
    const { item } = await this.readable(user, evidenceId);
    return evidenceItemView(item);
  }

  /**
   * Opens the bytes (all, or the one range of an HTTP Range header) after logging the viewing. A range that
   * cannot be served is refused before anything is logged, since nothing is viewed.
   */
  async open(
    user: AuthenticatedUser,
    evidenceId: string,
    request: { purpose: string | undefined; rangeHeader: string | undefined; download: boolean },
  ): Promise<OpenedEvidence> {
    const { item, caseRow } = await this.readable(user, evidenceId);
    const purpose = requirePurpose(request.purpose);
    const size = Number(item.sizeBytes);
    const range = resolveRangeHeader(request.rangeHeader, size);
    if (range === 'unsatisfiable') throw EvidenceErrors.rangeNotSatisfiable(size);
    await this.logView(user, item, caseRow, purpose, request.download ? 'download' : 'playback', range);
    let stored: Readable;
    try {
      stored = await this.storage.getStream(item.objectKey, range);
    } catch (error) {
      throw fromStorageError(error);
    }
    const length = range === undefined ? size : range.end - range.start + 1;
    return { item: evidenceItemView(item), size, range, length, stream: exactLength(stored, length) };
  }

  /**
   * A short-lived URL straight to the object store, for players that cannot send a bearer token. The viewing
   * is logged before the URL is handed out; a store that cannot presign answers 501 and nothing is logged.
   */
  async presign(
    user: AuthenticatedUser,
    evidenceId: string,
    request: { purpose: string | undefined; ttlSeconds: number | undefined },
  ): Promise<PresignedEvidenceUrl> {
    const { item, caseRow } = await this.readable(user, evidenceId);
    const purpose = requirePurpose(request.purpose);
    const ttlSeconds = request.ttlSeconds ?? this.options.presignTtlSeconds;
    if (!Number.isInteger(ttlSeconds) || ttlSeconds < 1 || ttlSeconds > this.options.maxPresignTtlSeconds) {
      throw EvidenceErrors.presignTtlInvalid(this.options.maxPresignTtlSeconds);
    }
    let url: string | undefined;
    try {
      url = await this.storage.presignedGetUrl(item.objectKey, ttlSeconds);
    } catch (error) {
      throw fromStorageError(error);
    }
    if (url === undefined) throw EvidenceErrors.presignNotSupported();
    const now = this.options.clock();
    await this.logView(user, item, caseRow, purpose, 'presigned-url', undefined);
    return { url, expiresAt: new Date(now.getTime() + ttlSeconds * 1000).toISOString() };
  }

  private async readable(user: AuthenticatedUser, evidenceId: string): Promise<{ item: EvidenceItemEntity; caseRow: CaseEntity }> {
    const item = await this.items.find(evidenceId);
    if (!item) throw EvidenceErrors.evidenceNotFound();
    const caseRow = await this.cases.forReading(user, item.caseId);
    return { item, caseRow };
  }

  private async logView(
    user: AuthenticatedUser,
    item: EvidenceItemEntity,
    caseRow: CaseEntity,
    purpose: string,
    kind: EvidenceViewKind,
    range: ResolvedRange | undefined,
  ): Promise<void> {
    await this.views.record(
      evidenceViewOf(user, caseRow, item.id, {
        purpose,
        kind,
        byteRange: range === undefined ? null : `bytes=${range.start}-${range.end}`,
        viewedAt: this.options.clock(),
      }),
    );
  }
}

/** The stated purpose of a viewing (调阅事由), trimmed; refused when missing, blank, too short or too long. */
export function requirePurpose(purpose: string | undefined): string {
  const trimmed = purpose?.trim() ?? '';
  if ([...trimmed].length < PURPOSE_MIN || [...trimmed].length > PURPOSE_MAX) throw EvidenceErrors.purposeRequired();
  return trimmed;
}
