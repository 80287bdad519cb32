import { canonicalJson } from '@enforcement/canonical-json';
import { PassThrough, Readable } from 'node:stream';
import { ZipFile } from 'yazl';
import { chainedContentOf, GENESIS_HASH } from '../case-core/hash-chain';
import type { CaseEntity } from '../cases/case.entity';
import type { EvidenceItemEntity } from '../evidence/evidence-item.entity';
import type { CaseRecordEntity } from '../records/case-record.entity';
import {
  ARCHIVE_FILES,
  ARCHIVE_FORMAT,
  ARCHIVE_README,
  evidenceEntryName,
  type CaseIndex,
  type ChainFile,
  type EvidenceManifest,
} from './case-archive.format';

/** The light columns of every record: enough for the chain and the case file index, small per record. */
export type RecordLink = Pick<
  CaseRecordEntity,
  'id' | 'sequence' | 'stepType' | 'occurredAt' | 'correctsRecordId' | 'previousHash' | 'hash'
>;

export interface CaseArchiveContent {
  caseRow: CaseEntity;
  /** Records 1..caseRow.recordCount, light columns, in sequence order. */
  links: readonly RecordLink[];
  /** The same records in full, in sequence order, read lazily (texts can be long; they are streamed). */
  records: () => AsyncIterable<CaseRecordEntity>;
  evidence: readonly EvidenceItemEntity[];
  includeEvidence: boolean;
  /** Opens an evidence object's bytes; called once per item, one at a time, while the ZIP is written. */
  openEvidence: (item: EvidenceItemEntity) => Promise<Readable>;
  archivedAt: Date;
  /** The archive's version, and the archive it follows (null for the first). */
  version?: { number: number; supersedes: CaseIndex['supersedes'] };
}

/**
 * Writes a case archive as a ZIP stream. Nothing big is held in memory: records are pulled from `records`
 * as the ZIP is read, and each evidence object is opened only when its entry is reached and piped through.
 * The stream fails (is destroyed with the error) if any source fails, so a half-written archive is never
 * taken for a whole one.
 */
export function writeCaseArchive(content: CaseArchiveContent): Readable {
  const { caseRow, links, evidence, includeEvidence, archivedAt } = content;
  const zip = new ZipFile();
  const output = new PassThrough();
  const fail = (error: unknown): void => {
    output.destroy(error instanceof Error ? error : new Error(String(error)));
  };
  zip.on('error', fail);
  zip.outputStream.on('error', fail);
  zip.outputStream.pipe(output);

  const mtime = archivedAt;
  const json = (value: unknown): Buffer => Buffer.from(`${JSON.stringify(value, null, 2)}\n`, 'utf8');
  // pipe() does not forward a source's errors; the ZIP must fail with it.
  const lazy = (name: string, open: () => Promise<Readable> | Readable, compress = true): void => {
    zip.addReadStreamLazy(name, { mtime, compress }, (callback) => {
      Promise.resolve()
        .then(open)
        .then(
          (stream) => {
            stream.on('error', fail);
            callback(null, stream);
          },
          (error: unknown) => callback(error, new PassThrough()),
        );
    });
  };

  const caseIndex: CaseIndex = {
    format: ARCHIVE_FORMAT,
    caseId: caseRow.id,
    caseNumber: caseRow.caseNumber,
    agencyId: caseRow.agencyId,
    domain: caseRow.domain,
    regionCode: caseRow.regionCode,
    procedure: caseRow.procedure,
    status: caseRow.status,
    legalReviewStatus: caseRow.legalReviewStatus,
    handlingOfficerIds: caseRow.handlingOfficerIds,
    openedAt: caseRow.openedAt.toISOString(),
    closedAt: caseRow.closedAt ? caseRow.closedAt.toISOString() : null,
    recordCount: caseRow.recordCount,
    chainHead: caseRow.chainHead,
    genesisHash: GENESIS_HASH,
    archivedAt: archivedAt.toISOString(),
    evidenceCount: evidence.length,
    evidenceIncluded: includeEvidence,
    ...(content.version ? { archiveVersion: content.version.number, supersedes: content.version.supersedes ?? null } : {}),
    contents: links.map((link) => ({
      sequence: link.sequence,
      recordId: link.id,
      stepType: link.stepType,
      occurredAt: link.occurredAt.toISOString(),
      correctsRecordId: link.correctsRecordId,
    })),
  };
  const chain: ChainFile = {
    format: 'enforcement-case-chain/1',
    caseId: caseRow.id,
    genesisHash: GENESIS_HASH,
    links: links.map((link) => ({ sequence: link.sequence, recordId: link.id, previousHash: link.previousHash, hash: link.hash })),
  };
  const manifest: EvidenceManifest = {
    format: 'enforcement-evidence-manifest/1',
    caseId: caseRow.id,
    evidenceIncluded: includeEvidence,
    items: evidence.map((item) => ({
      evidenceId: item.id,
      objectKey: item.objectKey,
      mediaType: item.mediaType,
      sizeBytes: Number(item.sizeBytes),
      sha256: item.sha256,
      recordingStartedAt: item.recordingStartedAt.toISOString(),
      recordingEndedAt: item.recordingEndedAt.toISOString(),
      deviceId: item.deviceId,
      officerId: item.officerId,
      stepRecordId: item.stepRecordId,
      sealRecordId: item.sealRecordId,
      sealedAt: item.sealedAt.toISOString(),
      file: includeEvidence ? evidenceEntryName(item.id) : null,
    })),
  };

  zip.addBuffer(Buffer.from(ARCHIVE_README, 'utf8'), ARCHIVE_FILES.readme, { mtime });
  zip.addBuffer(json(caseIndex), ARCHIVE_FILES.caseIndex, { mtime });
  zip.addBuffer(json(chain), ARCHIVE_FILES.chain, { mtime });
  zip.addBuffer(json(manifest), ARCHIVE_FILES.evidenceManifest, { mtime });
  lazy(ARCHIVE_FILES.records, () => Readable.from(recordLines(content.records())));
  if (includeEvidence) {
    // Audio/video is already compressed; deflating it again costs time and saves nothing.
    for (const item of evidence) lazy(evidenceEntryName(item.id), () => content.openEvidence(item), false);
  }
  zip.end();
  return output;
}

/** records.jsonl: the content in canonical JSON, i.e. byte for byte what the record's hash was computed over. */
async function* recordLines(records: AsyncIterable<CaseRecordEntity>): AsyncGenerator<Buffer> {
  for await (const record of records) {
    const line = `{"recordId":${JSON.stringify(record.id)},"hash":${JSON.stringify(record.hash)},"content":${canonicalJson(chainedContentOf(record))}}\n`;
    yield Buffer.from(line, 'utf8');
  }
}
