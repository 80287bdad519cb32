import { z } from 'zod';

/**
 * The layout of a case archive (结案归档): a ZIP an auditor can verify offline with
 * `npm run verify -- --archive <file>`. Everything the verification needs is inside; the hash chain is
 * recomputed from records.jsonl with the same functions the service used to append the records.
 */
export const ARCHIVE_FILES = {
  readme: 'README.txt',
  caseIndex: 'case.json',
  records: 'records.jsonl',
  evidenceManifest: 'evidence-manifest.json',
  chain: 'chain.json',
} as const;

/** Evidence bytes, when included, under `evidence/<evidenceId>`. */
export const EVIDENCE_DIRECTORY = 'evidence/';

export function evidenceEntryName(evidenceId: string): string {
  return `${EVIDENCE_DIRECTORY}${evidenceId}`;
}

export const ARCHIVE_FORMAT = 'enforcement-case-archive/1';

const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'a lowercase hex SHA-256');
const isoDate = z.string().min(1);

/** case.json: the case file index (卷宗目录). No party names, identifiers or contacts. */
export const caseIndexSchema = z.object({
  format: z.literal(ARCHIVE_FORMAT),
  caseId: z.string().min(1),
  caseNumber: z.string(),
  agencyId: z.string(),
  domain: z.string(),
  regionCode: z.string(),
  procedure: z.string(),
  status: z.string(),
  legalReviewStatus: z.string(),
  handlingOfficerIds: z.array(z.string()),
  openedAt: isoDate,
  closedAt: isoDate.nullable(),
  recordCount: z.number().int().nonnegative(),
  chainHead: sha256Hex,
  genesisHash: sha256Hex,
  archivedAt: isoDate,
  evidenceCount: z.number().int().nonnegative(),
  evidenceIncluded: z.boolean(),
  /**
   * Which archive of the case this is (1 = the first), and the one it follows: a decision altered after closing
   * (Art. 48) archives the case again, and the new chain must extend the old one (its head at its record count).
   * Absent in archives made before versions were numbered.
   */
  archiveVersion: z.number().int().positive().optional(),
  supersedes: z
    .object({ archiveId: z.string(), sha256: sha256Hex, recordCount: z.number().int().nonnegative(), chainHead: sha256Hex })
    .nullable()
    .optional(),
  /** One entry per record, in chain order: what the case file holds. */
  contents: z.array(
    z.object({
      sequence: z.number().int().positive(),
      recordId: z.string(),
      stepType: z.string(),
      occurredAt: isoDate,
      correctsRecordId: z.string().nullable(),
    }),
  ),
});
export type CaseIndex = z.infer<typeof caseIndexSchema>;

const certificateSchema = z.looseObject({ officerId: z.string(), certificateId: z.string(), number: z.string() });

/**
 * One line of records.jsonl: the chained content exactly as hashed (canonical JSON), the stored hash and
 * the record id (which the hash does not cover; evidence items refer to their sealing record by it).
 * Loose objects: a key someone added is kept, so it changes the recomputed hash instead of vanishing.
 */
export const recordLineSchema = z.strictObject({
  recordId: z.string().min(1),
  hash: z.string(),
  content: z.looseObject({
    caseId: z.string(),
    sequence: z.number().int(),
    stepType: z.string(),
    occurredAt: z.string(),
    recordedAt: z.string(),
    recordedBy: z.string(),
    place: z.string(),
    actingOfficerIds: z.array(z.string()),
    certificates: z.array(certificateSchema),
    fields: z.record(z.string(), z.unknown()),
    text: z.string(),
    evidence: z.array(z.looseObject({ evidenceId: z.string(), sha256: z.string() })),
    correctsRecordId: z.string().nullable(),
    previousHash: z.string(),
  }),
});
export type RecordLine = z.infer<typeof recordLineSchema>;

/** chain.json: sequence → previous hash and hash, for people and tools that only want the chain. */
export const chainFileSchema = z.object({
  format: z.literal('enforcement-case-chain/1'),
  caseId: z.string(),
  genesisHash: sha256Hex,
  links: z.array(
    z.object({
      sequence: z.number().int().positive(),
      recordId: z.string(),
      previousHash: z.string(),
      hash: z.string(),
    }),
  ),
});
export type ChainFile = z.infer<typeof chainFileSchema>;

export const evidenceManifestSchema = z.object({
  format: z.literal('enforcement-evidence-manifest/1'),
  caseId: z.string(),
  /** False for archives of very large cases made without the evidence bytes. */
  evidenceIncluded: z.boolean(),
  items: z.array(
    z.object({
      evidenceId: z.string().min(1),
      objectKey: z.string(),
      mediaType: z.string(),
      sizeBytes: z.number().int().nonnegative(),
      sha256: z.string(),
      recordingStartedAt: isoDate,
      recordingEndedAt: isoDate,
      deviceId: z.string(),
      officerId: z.string(),
      stepRecordId: z.string().nullable(),
      sealRecordId: z.string(),
      sealedAt: isoDate,
      /** The entry holding the bytes, or null when the archive was made without them. */
      file: z.string().nullable(),
    }),
  ),
});
export type EvidenceManifest = z.infer<typeof evidenceManifestSchema>;

export const ARCHIVE_README = `案件归档包 / Case archive
=========================

本归档包由行政执法全过程记录系统在结案时生成（《行政处罚法》第四十七条）。
This archive was produced by the full-process recording service when the case was closed
(Administrative Penalty Law, Art. 47).

内容 / Contents
  case.json               案件目录：案件编号、执法机关、领域、区划、程序、立案与结案时间、记录数、链头哈希
                          case file index: number, agency, domain, region, procedure, opened/closed, record count, chain head
  records.jsonl           全部执法记录，每行一条：被哈希的内容（规范化 JSON）及其哈希
                          every record, one per line: the hashed content (canonical JSON) and its hash
  chain.json              哈希链：序号 → 前一哈希、本条哈希
                          the hash chain: sequence → previous hash, hash
  evidence-manifest.json  证据清单：证据编号、对象键、媒体类型、大小、SHA-256、录制起止时间、封存记录
                          evidence manifest: id, object key, media type, size, SHA-256, recording window, sealing record
  evidence/<证据编号>     证据原件（若归档时包含）
  evidence/<evidenceId>   the evidence originals (when included)

如何校验 / How to verify
  在本平台源代码目录中运行 / in a checkout of the platform, run:

      npm run verify -- --archive <本文件路径 / path to this file>

  校验程序按记录顺序重新计算每条记录的哈希（覆盖记录内容、证据摘要和前一条记录的哈希），
  核对 chain.json 与 case.json 中的链头，并对包内每个证据文件重新计算 SHA-256。
  退出码 0 表示完整，1 表示发现篡改或损坏（并指出第一个断点），2 表示用法错误。
  The verifier recomputes every record's hash in chain order (it covers the record's content, the
  evidence digests and the previous record's hash), checks chain.json and case.json against it, and
  re-hashes every included evidence file. Exit code 0 means intact, 1 tampered or damaged (with the
  first broken link), 2 a usage error.

  若归档时未包含证据原件，校验程序仍校验哈希链，并将证据报告为"未包含"。
  If the evidence bytes were not included, the chain is still verified and the evidence is reported
  as "not included".

  请将校验输出的链头哈希与执法机关系统中保存的链头（或本归档包的 SHA-256）比对：
  整个归档包被重新生成时，只有这种外部比对才能发现。
  Compare the chain head the verifier prints with the one the agency's system holds (or this file's
  SHA-256 with the one recorded for the archive): only that outside comparison detects an archive
  that was rebuilt from scratch.
`;
