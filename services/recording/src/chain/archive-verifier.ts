import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import * as yauzl from 'yauzl';
import type { z } from 'zod';
import {
  ARCHIVE_FILES,
  caseIndexSchema,
  chainFileSchema,
  EVIDENCE_DIRECTORY,
  evidenceEntryName,
  evidenceManifestSchema,
  recordLineSchema,
  type CaseIndex,
  type ChainFile,
  type EvidenceManifest,
} from '../archive/case-archive.format';
import { GENESIS_HASH } from '../case-core/hash-chain';
import {
  ChainVerifier,
  type BrokenLink,
  type BrokenLinkReason,
  type ChainRecord,
  type ChainVerificationReport,
  type ReadableChainRecord,
} from './chain-verifier';

/**
 * Beyond the chain's own reasons, an archive can be malformed (not the ZIP we wrote: a file missing,
 * unparsable, duplicated or added) or its side files can disagree with the records they summarise.
 */
export type ArchiveBrokenReason = BrokenLinkReason | 'archive-malformed' | 'chain-file-mismatch' | 'case-file-mismatch';

export interface ArchiveBrokenLink extends Omit<BrokenLink, 'reason'> {
  reason: ArchiveBrokenReason;
  /** The ZIP entry at fault, when there is one. */
  entry?: string;
}

export interface ArchiveVerificationReport extends Omit<ChainVerificationReport, 'firstBroken'> {
  /** SHA-256 of the ZIP file itself, to compare with the one the service recorded (X-Archive-SHA256). */
  archiveSha256: string;
  caseId?: string;
  caseNumber?: string;
  /** The chain head case.json claims; intact means the records recompute to it. */
  chainHead?: string;
  evidenceIncluded?: boolean;
  /** Which archive of the case this is, and the archive it follows (whose chain it was checked to extend). */
  archiveVersion?: number;
  supersedes?: CaseIndex['supersedes'];
  firstBroken?: ArchiveBrokenLink;
}

// Side files are small; anything this large is not one we wrote, and must not be read into memory.
const MAX_JSON_ENTRY_BYTES = 256 * 1024 * 1024;
const MAX_RECORDS_ENTRY_BYTES = 4 * 1024 * 1024 * 1024;

class MalformedArchive extends Error {
  constructor(
    readonly entry: string | undefined,
    readonly detail: string,
  ) {
    super(detail);
  }
}

interface ArchiveContents {
  caseIndex?: CaseIndex;
  chain?: ChainFile;
  manifest?: EvidenceManifest;
  records?: ChainRecord[];
  /** Entry name → SHA-256 of its bytes, for evidence/ entries. */
  evidenceDigests: Map<string, string>;
}

/**
 * Verifies a case archive offline: recomputes every record's hash from records.jsonl with the service's
 * own hash functions, walks the chain, checks it against case.json and chain.json, and re-hashes every
 * included evidence file against the digest the chain fixed. Reads the ZIP in one pass, streaming
 * evidence through a hash (never whole in memory). A file that is not a readable ZIP is reported broken
 * (archive-malformed); a missing file is the caller's usage error (the function rejects).
 */
export async function verifyArchiveFile(file: string, now: () => Date = () => new Date()): Promise<ArchiveVerificationReport> {
  const archiveSha256 = await sha256OfFile(file);
  const verifiedAt = (): string => now().toISOString();
  const malformed = (error: MalformedArchive, extra: Partial<ArchiveVerificationReport> = {}): ArchiveVerificationReport => ({
    intact: false,
    records: 0,
    evidence: 0,
    evidenceNotIncluded: 0,
    ...extra,
    archiveSha256,
    firstBroken: { reason: 'archive-malformed', ...(error.entry ? { entry: error.entry } : {}), detail: error.detail },
    verifiedAt: verifiedAt(),
  });

  let contents: ArchiveContents;
  try {
    contents = await readArchive(file);
  } catch (error) {
    if (error instanceof MalformedArchive) return malformed(error);
    throw error;
  }
  const { caseIndex, chain, manifest, records } = contents;
  try {
    if (!caseIndex) throw new MalformedArchive(ARCHIVE_FILES.caseIndex, 'missing');
    if (!records) throw new MalformedArchive(ARCHIVE_FILES.records, 'missing');
    if (!chain) throw new MalformedArchive(ARCHIVE_FILES.chain, 'missing');
    if (!manifest) throw new MalformedArchive(ARCHIVE_FILES.evidenceManifest, 'missing');
    checkEvidenceEntries(manifest, contents.evidenceDigests);
  } catch (error) {
    if (error instanceof MalformedArchive) return malformed(error, caseIndex ? describeCase(caseIndex) : {});
    throw error;
  }

  const chainReport = await new ChainVerifier(now).verify({
    caseSummary: { id: caseIndex.caseId, recordCount: caseIndex.recordCount, chainHead: caseIndex.chainHead },
    records,
    evidence: manifest.items.map((item) => ({ id: item.evidenceId, sha256: item.sha256, sealRecordId: item.sealRecordId })),
    digestOf: async (item) => {
      if (!manifest.evidenceIncluded) return 'not-included';
      return contents.evidenceDigests.get(evidenceEntryName(item.id)) ?? 'missing';
    },
  });
  const report: ArchiveVerificationReport = { ...chainReport, archiveSha256, ...describeCase(caseIndex) };
  if (!report.intact) return report;

  // The chain is intact; the side files must say the same as the records they summarise.
  const sideFileBreak = checkSideFiles(caseIndex, chain, manifest, records.filter(isReadable));
  return sideFileBreak ? { ...report, intact: false, firstBroken: sideFileBreak } : report;
}

function describeCase(caseIndex: CaseIndex): Partial<ArchiveVerificationReport> {
  return {
    caseId: caseIndex.caseId,
    caseNumber: caseIndex.caseNumber,
    chainHead: caseIndex.chainHead,
    evidenceIncluded: caseIndex.evidenceIncluded,
    ...(caseIndex.archiveVersion === undefined ? {} : { archiveVersion: caseIndex.archiveVersion }),
    ...(caseIndex.supersedes === undefined ? {} : { supersedes: caseIndex.supersedes }),
  };
}

function isReadable(record: ChainRecord): record is ReadableChainRecord {
  return !('unreadable' in record);
}

async function sha256OfFile(file: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(file), hash);
  return hash.digest('hex');
}

async function readArchive(file: string): Promise<ArchiveContents> {
  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.openPromise(file, { lazyEntries: true, validateEntrySizes: true, strictFileNames: true });
  } catch (error) {
    throw new MalformedArchive(undefined, `not a readable ZIP file (${messageOf(error)})`);
  }
  const contents: ArchiveContents = { evidenceDigests: new Map() };
  const seen = new Set<string>();
  try {
    for await (const entry of zip.eachEntry()) {
      const name = entry.fileName;
      // Two entries of one name: tools disagree on which one they show, so neither can be trusted.
      if (seen.has(name)) throw new MalformedArchive(name, 'duplicate entry');
      seen.add(name);
      if (name === EVIDENCE_DIRECTORY) continue;
      if (name.startsWith(EVIDENCE_DIRECTORY) && !name.endsWith('/')) {
        contents.evidenceDigests.set(name, await readEntry(zip, entry, sha256OfStream));
        continue;
      }
      switch (name) {
        case ARCHIVE_FILES.readme:
          // Explanations only; nothing in it is verified.
          break;
        case ARCHIVE_FILES.caseIndex:
          contents.caseIndex = parseJson(name, caseIndexSchema, await readJsonEntry(zip, entry));
          break;
        case ARCHIVE_FILES.chain:
          contents.chain = parseJson(name, chainFileSchema, await readJsonEntry(zip, entry));
          break;
        case ARCHIVE_FILES.evidenceManifest:
          contents.manifest = parseJson(name, evidenceManifestSchema, await readJsonEntry(zip, entry));
          break;
        case ARCHIVE_FILES.records:
          if (entry.uncompressedSize > MAX_RECORDS_ENTRY_BYTES) throw new MalformedArchive(name, 'too large');
          contents.records = await readEntry(zip, entry, readRecordLines);
          break;
        default:
          // Anything we did not write could mislead a reader of the archive and is covered by nothing.
          throw new MalformedArchive(name, 'unexpected entry');
      }
    }
  } finally {
    zip.close();
  }
  return contents;
}

async function readEntry<T>(zip: yauzl.ZipFile, entry: yauzl.Entry, consume: (stream: Readable) => Promise<T>): Promise<T> {
  try {
    return await consume(await zip.openReadStreamPromise(entry));
  } catch (error) {
    if (error instanceof MalformedArchive) throw error;
    // Bad compressed data, a size that does not match the directory, an encrypted entry, …
    throw new MalformedArchive(entry.fileName, `cannot be read (${messageOf(error)})`);
  }
}

async function readJsonEntry(zip: yauzl.ZipFile, entry: yauzl.Entry): Promise<unknown> {
  if (entry.uncompressedSize > MAX_JSON_ENTRY_BYTES) throw new MalformedArchive(entry.fileName, 'too large');
  const text = await readEntry(zip, entry, async (stream) => {
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
    return Buffer.concat(chunks).toString('utf8');
  });
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new MalformedArchive(entry.fileName, `not valid JSON (${messageOf(error)})`);
  }
}

function parseJson<T>(entry: string, schema: z.ZodType<T>, value: unknown): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new MalformedArchive(entry, `${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
}

async function sha256OfStream(stream: Readable): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(stream, hash);
  return hash.digest('hex');
}

/**
 * One record per line. A line that no longer parses is kept as an unreadable record at its place, so the
 * verifier reports it as a broken link at that sequence (as a hand-edited database row would be).
 */
async function readRecordLines(stream: Readable): Promise<ChainRecord[]> {
  const records: ChainRecord[] = [];
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  for await (const line of lines) {
    if (line.trim() === '') continue;
    const position = records.length + 1;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      records.push({ id: '', hash: '', sequence: position, unreadable: `records.jsonl line ${position} is not valid JSON` });
      continue;
    }
    const parsed = recordLineSchema.safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue?.path.join('.') || '(root)';
      records.push({
        id: '',
        hash: '',
        sequence: position,
        unreadable: `records.jsonl line ${position}: ${where}: ${issue?.message ?? 'invalid'}`,
      });
      continue;
    }
    // Hashed as parsed, extra keys and all: a key someone slipped in must change the hash, not vanish.
    records.push({ id: parsed.data.recordId, hash: parsed.data.hash, content: parsed.data.content });
  }
  return records;
}

/** Evidence files and the manifest must match one to one (or there must be none if it says so). */
function checkEvidenceEntries(manifest: EvidenceManifest, digests: Map<string, string>): void {
  const listed = new Set<string>();
  for (const item of manifest.items) {
    const name = evidenceEntryName(item.evidenceId);
    if (listed.has(name)) throw new MalformedArchive(ARCHIVE_FILES.evidenceManifest, `evidence ${item.evidenceId} listed twice`);
    listed.add(name);
  }
  for (const name of digests.keys()) {
    if (!manifest.evidenceIncluded) throw new MalformedArchive(name, 'evidence file in an archive made without evidence');
    if (!listed.has(name)) throw new MalformedArchive(name, 'evidence file not in the manifest');
  }
}

function checkSideFiles(
  caseIndex: CaseIndex,
  chain: ChainFile,
  manifest: EvidenceManifest,
  records: ReadableChainRecord[],
): ArchiveBrokenLink | undefined {
  const chainFile = (detail: string, link: Partial<ArchiveBrokenLink> = {}): ArchiveBrokenLink => ({
    reason: 'chain-file-mismatch',
    entry: ARCHIVE_FILES.chain,
    detail,
    ...link,
  });
  const caseFile = (detail: string, link: Partial<ArchiveBrokenLink> = {}): ArchiveBrokenLink => ({
    reason: 'case-file-mismatch',
    entry: ARCHIVE_FILES.caseIndex,
    detail,
    ...link,
  });

  if (chain.caseId !== caseIndex.caseId) return chainFile('case id', { expected: caseIndex.caseId, actual: chain.caseId });
  if (chain.genesisHash !== GENESIS_HASH) return chainFile('genesis hash', { expected: GENESIS_HASH, actual: chain.genesisHash });
  for (const [index, record] of records.entries()) {
    const link = chain.links[index];
    const where = { sequence: record.content.sequence, recordId: record.id };
    if (!link) return chainFile('link missing', where);
    if (link.sequence !== record.content.sequence)
      return chainFile('sequence', { ...where, expected: String(record.content.sequence), actual: String(link.sequence) });
    if (link.recordId !== record.id) return chainFile('record id', { ...where, expected: record.id, actual: link.recordId });
    if (link.previousHash !== record.content.previousHash) {
      return chainFile('previous hash', { ...where, expected: record.content.previousHash, actual: link.previousHash });
    }
    if (link.hash !== record.hash) return chainFile('hash', { ...where, expected: record.hash, actual: link.hash });
  }
  if (chain.links.length !== records.length) {
    return chainFile('number of links', { expected: String(records.length), actual: String(chain.links.length) });
  }

  if (caseIndex.genesisHash !== GENESIS_HASH) return caseFile('genesis hash', { expected: GENESIS_HASH, actual: caseIndex.genesisHash });
  for (const [index, record] of records.entries()) {
    const entry = caseIndex.contents[index];
    const where = { sequence: record.content.sequence, recordId: record.id };
    if (!entry) return caseFile('contents entry missing', where);
    const expected = {
      sequence: record.content.sequence,
      recordId: record.id,
      stepType: record.content.stepType,
      occurredAt: record.content.occurredAt,
      correctsRecordId: record.content.correctsRecordId,
    };
    for (const key of Object.keys(expected) as Array<keyof typeof expected>) {
      if (entry[key] !== expected[key])
        return caseFile(`contents ${key}`, { ...where, expected: String(expected[key]), actual: String(entry[key]) });
    }
  }
  if (caseIndex.contents.length !== records.length) {
    return caseFile('number of contents entries', { expected: String(records.length), actual: String(caseIndex.contents.length) });
  }
  if (manifest.caseId !== caseIndex.caseId) {
    return {
      reason: 'archive-malformed',
      entry: ARCHIVE_FILES.evidenceManifest,
      detail: 'case id',
      expected: caseIndex.caseId,
      actual: manifest.caseId,
    };
  }
  if (caseIndex.evidenceCount !== manifest.items.length) {
    return caseFile('evidence count', { expected: String(manifest.items.length), actual: String(caseIndex.evidenceCount) });
  }
  if (caseIndex.evidenceIncluded !== manifest.evidenceIncluded) {
    return caseFile('evidence included', { expected: String(manifest.evidenceIncluded), actual: String(caseIndex.evidenceIncluded) });
  }
  // A later version (a decision altered after closing, Art. 48) extends the archive it follows: records are only
  // ever appended, so the earlier head must stand in this chain at the earlier record count.
  const supersedes = caseIndex.supersedes;
  if (supersedes) {
    const atEarlierHead = records[supersedes.recordCount - 1];
    const head = supersedes.recordCount === 0 ? GENESIS_HASH : atEarlierHead?.hash;
    if (head !== supersedes.chainHead) {
      return caseFile('superseded archive chain head', {
        ...(atEarlierHead ? { sequence: atEarlierHead.content.sequence, recordId: atEarlierHead.id } : {}),
        expected: supersedes.chainHead,
        actual: String(head),
      });
    }
  }
  return undefined;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
