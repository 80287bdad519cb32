import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import type { AuthenticatedUser } from '@enforcement/auth';
import { OBJECT_STORAGE } from '@enforcement/service-runtime';
import type { ObjectStorage } from '@enforcement/storage';
import type { Readable } from 'node:stream';
import { CaseAccessService } from '../cases/case-access.service';
import type { CaseEntity } from '../cases/case.entity';
import { EvidenceFixityAlarmService } from './evidence-fixity-alarm.service';
import { EvidenceFixityService } from './evidence-fixity.service';
import type { EvidenceItemEntity } from './evidence-item.entity';
import { EvidenceItemRepository } from './evidence-item.repository';
import { evidenceItemView, type EvidenceItemView } from './evidence-item.view';
import { EvidenceUploadRepository } from './evidence-upload.repository';
import { EvidenceViewLogService, evidenceViewOf } from './evidence-view-log.service';
import type { EvidenceViewKind } from './evidence-view.entity';
import { EvidenceErrors, fromStorageError } from './evidence.errors';
import { EVIDENCE_OPTIONS, resolveEvidenceOptions, type EvidenceOptions } from './evidence.options';
import { segmentsFor, verifyingStream } from './fixity-stream';
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
  private readonly logger = new Logger(EvidencePlaybackService.name);
  private readonly options: EvidenceOptions;

  constructor(
    private readonly items: EvidenceItemRepository,
    private readonly cases: CaseAccessService,
    private readonly views: EvidenceViewLogService,
    private readonly uploads: EvidenceUploadRepository,
    private readonly alarm: EvidenceFixityAlarmService,
    private readonly fixity: EvidenceFixityService,
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
   *
   * The bytes are verified as they stream: the whole object against its sealed SHA-256, a range against the
   * digests of the upload parts it touches (read whole, so up to a part on either side is read and not served).
   * A range of an item whose parts are unknown cannot be verified, so the whole object is served instead (200),
   * as HTTP allows. A mismatch raises the fixity alarm and cuts the response short.
   */
  async open(
    user: AuthenticatedUser,
    evidenceId: string,
    request: { purpose: string | undefined; rangeHeader: string | undefined; download: boolean },
  ): Promise<OpenedEvidence> {
    const { item, caseRow } = await this.readable(user, evidenceId);
    const purpose = requirePurpose(request.purpose);
    const size = Number(item.sizeBytes);
    const asked = resolveRangeHeader(request.rangeHeader, size);
    if (asked === 'unsatisfiable') throw EvidenceErrors.rangeNotSatisfiable(size);
    let segments = segmentsFor(size, item.sha256, asked, asked === undefined ? [] : await this.uploads.partsOfSealed(item.id));
    let range = asked;
    if (segments === undefined) {
      range = undefined;
      segments = segmentsFor(size, item.sha256, undefined, []) ?? [];
    }
    await this.logView(user, item, caseRow, purpose, request.download ? 'download' : 'playback', range);
    const read = { start: segments[0].start, end: segments[segments.length - 1].end };
    let stored: Readable;
    try {
      stored = await this.storage.getStream(item.objectKey, read.start === 0 && read.end === size - 1 ? undefined : read);
    } catch (error) {
      throw fromStorageError(error);
    }
    const serve = range ?? { start: 0, end: size - 1 };
    const stream = verifyingStream(stored, { offset: read.start, segments, serve }, (mismatch) => {
      this.alarm.raise('playback', {
        evidenceId: item.id,
        caseId: item.caseId,
        expectedSha256: mismatch.segment.sha256,
        foundSha256: mismatch.actualSha256,
        detail: `bytes ${mismatch.segment.start}-${mismatch.segment.end}`,
      });
      // In the background: the response is already failing, and the whole original is read again.
      this.fixity.recheckAfterPlayback(item.id).catch((error: unknown) => {
        this.logger.warn(
          `could not re-check evidence ${item.id} after its playback failed: ${error instanceof Error ? error.message : String(error)}`,
        );
      });
    });
    return { item: evidenceItemView(item), size, range, length: serve.end - serve.start + 1, stream };
  }

  /**
   * A short-lived URL straight to the object store, for players that cannot send a bearer token. The viewing
   * is logged before the URL is handed out; a store that cannot presign answers 501 and nothing is logged. Bytes
   * fetched through the link are not verified on the way: only the fixity sweep's findings guard them.
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
    // The store serves a link without the service seeing the bytes, so nothing verifies them on the way; an original
    // the sweep found changed gets no link (playback through the service verifies as it streams).
    if (await this.fixity.lastCheckFailed(item.id)) throw EvidenceErrors.fixityFailed(item.id);
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
