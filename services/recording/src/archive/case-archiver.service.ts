import { Inject, Injectable, Optional } from '@nestjs/common';
import type { AuthenticatedUser } from '@enforcement/auth';
import { OBJECT_STORAGE } from '@enforcement/service-runtime';
import { isStorageError, StorageErrorCode, type ObjectStorage, type StoredObject } from '@enforcement/storage';
import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { RecordingError } from '../case-core/recording.error';
import type { CaseEntity } from '../cases/case.entity';
import { evidenceViewOf } from '../evidence/evidence-view-log.service';
import type { CaseRecordEntity } from '../records/case-record.entity';
import type { CaseArchiveEntity } from './case-archive.entity';
import { CaseArchiveRepository } from './case-archive.repository';
import { writeCaseArchive } from './case-archive.writer';

export interface CaseArchiveOptions {
  /**
   * Put the evidence bytes in the archive under evidence/<evidenceId> (default). Off for very large cases:
   * the archive then holds the chain and the manifest, and offline verification reports the evidence as
   * not included.
   */
  includeEvidence: boolean;
}

/** Module-wide defaults for CaseArchiverService; see ArchiveModule.forRoot. */
export const CASE_ARCHIVE_OPTIONS = Symbol('CASE_ARCHIVE_OPTIONS');

export const DEFAULT_CASE_ARCHIVE_OPTIONS: CaseArchiveOptions = { includeEvidence: true };

/** One archive of a case as listed: its version number (1 = the first) and what an auditor checks a copy against. */
export interface ArchiveVersion {
  version: number;
  id: string;
  sha256: string;
  sizeBytes: number;
  recordCount: number;
  chainHead: string;
  evidenceIncluded: boolean;
  createdAt: string;
}

export interface CaseArchiveResult {
  objectKey: string;
  sha256: string;
  sizeBytes: number;
}

// Records are read in pages while the ZIP is written, so a case of any length streams in bounded memory.
const RECORD_PAGE_SIZE = 200;
// Two archives of one case in the same millisecond would want the same key; objects are never overwritten.
const KEY_ATTEMPTS = 3;

/** `cases/<caseId>/archive/20261121T155959123Z.zip`: sortable, and only characters object keys allow. */
export function archiveObjectKey(caseId: string, at: Date): string {
  return `cases/${caseId}/archive/${at.toISOString().replace(/[-:.]/g, '')}.zip`;
}

/**
 * Builds a case's archive (Art. 47: the record is archived): a ZIP with the case file index, all records
 * with their hashes, the evidence manifest, the chain and, by default, the evidence originals; stores it
 * immutably in object storage and records it in case_archives.
 *
 * Each call makes a new archive of the chain as it stands (a second call after closing is harmless: a
 * second archive). The archive covers records 1..record_count as read in one snapshot with the case row,
 * so a record appended meanwhile is not half in it.
 */
@Injectable()
export class CaseArchiverService {
  private readonly defaults: CaseArchiveOptions;

  constructor(
    private readonly archives: CaseArchiveRepository,
    @Inject(OBJECT_STORAGE) private readonly storage: ObjectStorage,
    @Optional() @Inject(CASE_ARCHIVE_OPTIONS) defaults?: Partial<CaseArchiveOptions>,
  ) {
    this.defaults = { ...DEFAULT_CASE_ARCHIVE_OPTIONS, ...defaults };
  }

  async archive(caseId: string, options: Partial<CaseArchiveOptions> = {}): Promise<CaseArchiveResult> {
    const { includeEvidence } = { ...this.defaults, ...options };
    const snapshot = await this.archives.snapshot(caseId);
    if (!snapshot) throw new RecordingError('CASE_NOT_FOUND', '案件不存在', 'not-found');
    const { caseRow, links, evidence, earlier } = snapshot;
    // Each archive names the one before it: a later version's chain must extend the earlier one's (Art. 48).
    const previous = earlier.at(-1);
    const version = {
      number: earlier.length + 1,
      supersedes: previous
        ? { archiveId: previous.id, sha256: previous.sha256, recordCount: previous.recordCount, chainHead: previous.chainHead }
        : null,
    };

    for (let attempt = 1; ; attempt += 1) {
      const archivedAt = new Date();
      const objectKey = archiveObjectKey(caseId, archivedAt);
      const zip = writeCaseArchive({
        caseRow,
        links,
        records: () => this.records(caseId, caseRow.recordCount),
        evidence,
        includeEvidence,
        openEvidence: (item) => this.storage.getStream(item.objectKey),
        archivedAt,
        version,
      });
      let stored: StoredObject;
      try {
        stored = await this.storage.putStream(objectKey, zip, {
          contentType: 'application/zip',
          metadata: { 'case-id': caseId, 'chain-head': caseRow.chainHead },
        });
      } catch (error) {
        zip.destroy();
        if (isStorageError(error, StorageErrorCode.ObjectExists) && attempt < KEY_ATTEMPTS) {
          await new Promise((resolve) => setTimeout(resolve, 2));
          continue;
        }
        throw error;
      }
      // Stored first, recorded second: a crash between the two leaves an unlisted (harmless, immutable)
      // object, never a listed archive that does not exist.
      await this.archives.insert({
        id: randomUUID(),
        caseId,
        objectKey,
        sha256: stored.sha256,
        sizeBytes: String(stored.size),
        recordCount: caseRow.recordCount,
        chainHead: caseRow.chainHead,
        evidenceIncluded: includeEvidence,
        createdAt: archivedAt,
      });
      return { objectKey, sha256: stored.sha256, sizeBytes: stored.size };
    }
  }

  /** The case's latest archive, or undefined if it has none yet. */
  async latest(caseId: string): Promise<CaseArchiveEntity | undefined> {
    return this.archives.latest(caseId);
  }

  /**
   * Every archive of the case, oldest first, numbered from 1: a case altered after closing (Art. 48) has a version
   * per state of its record, and each stays stored and verifiable as it was made.
   */
  async versions(caseId: string): Promise<ArchiveVersion[]> {
    const found = await this.archives.all(caseId);
    return found.map((archive, index) => ({
      version: index + 1,
      id: archive.id,
      sha256: archive.sha256,
      sizeBytes: Number(archive.sizeBytes),
      recordCount: archive.recordCount,
      chainHead: archive.chainHead,
      evidenceIncluded: archive.evidenceIncluded,
      createdAt: archive.createdAt.toISOString(),
    }));
  }

  /** Opens the latest archive's bytes for download. */
  async openLatest(caseId: string): Promise<{ archive: CaseArchiveEntity; stream: Readable }> {
    return this.open(caseId);
  }

  /** Opens an archive's bytes: the one with `archiveId`, or the latest. */
  async open(caseId: string, archiveId?: string): Promise<{ archive: CaseArchiveEntity; stream: Readable }> {
    const archive = archiveId === undefined ? await this.latest(caseId) : await this.archives.find(caseId, archiveId);
    if (!archive) throw archiveNotFound();
    try {
      return { archive, stream: await this.storage.getStream(archive.objectKey) };
    } catch (error) {
      // Listed but gone from storage: someone removed an immutable object. Say so, do not pretend "none yet".
      if (isStorageError(error, StorageErrorCode.ObjectNotFound)) {
        throw new RecordingError('ARCHIVE_OBJECT_MISSING', '归档文件在存储中缺失，请联系系统管理员', 'not-found');
      }
      throw error;
    }
  }

  /**
   * The latest archive (or the version `archiveId`) for download. The download is an export of the evidence originals it holds, so like any
   * viewing of audio/video it needs a stated purpose and leaves a row in the viewing log per evidence item,
   * written before a byte leaves (国办发〔2018〕118号: use and viewing of audio/video records are supervised).
   */
  async exportLatest(
    user: AuthenticatedUser,
    caseRow: CaseEntity,
    purpose: string,
    archiveId?: string,
  ): Promise<{ archive: CaseArchiveEntity; stream: Readable }> {
    const opened = await this.open(caseRow.id, archiveId);
    if (opened.archive.evidenceIncluded) {
      const itemIds = await this.archives.evidenceSealedBy(caseRow.id, opened.archive.createdAt);
      const viewedAt = new Date();
      const views = itemIds.map((itemId) => ({
        id: randomUUID(),
        ...evidenceViewOf(user, caseRow, itemId, { purpose, kind: 'archive-export', byteRange: null, viewedAt }),
      }));
      try {
        await this.archives.logViews(views);
      } catch (error) {
        opened.stream.destroy();
        throw error;
      }
    }
    return opened;
  }

  private async *records(caseId: string, upTo: number): AsyncGenerator<CaseRecordEntity> {
    for (let from = 1; from <= upTo; from += RECORD_PAGE_SIZE) {
      yield* await this.archives.records(caseId, from, Math.min(upTo, from + RECORD_PAGE_SIZE - 1));
    }
  }
}

export function archiveNotFound(): RecordingError {
  return new RecordingError('ARCHIVE_NOT_FOUND', '该案件尚未生成归档', 'not-found');
}
