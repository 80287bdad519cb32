import { FieldCipher } from '@enforcement/field-cipher';
import { ConfigError, loadServiceConfig, withCommandDatabase } from '@enforcement/service-runtime';
import { createObjectStorage } from '@enforcement/storage';
import { existsSync, statSync } from 'node:fs';
import { RecordingError } from '../case-core/recording.error';
import { CaseStateSeal } from '../cases/case-state-seal';
import { CaseEntity } from '../cases/case.entity';
import { recordingSettings } from '../config/recording-settings';
import { EvidenceItemEntity } from '../evidence/evidence-item.entity';
import { CaseRecordEntity } from '../records/case-record.entity';
import { verifyArchiveFile, type ArchiveBrokenLink, type ArchiveBrokenReason } from './archive-verifier';
import { ChainSnapshotRepository } from './chain-snapshot.repository';
import { ChainVerificationService } from './chain-verification.service';

export const VERIFY_USAGE = `用法 / usage:
  npm run verify -- --archive <case-archive.zip>   离线校验归档包 / verify a case archive offline
  npm run verify -- --case <caseId>                校验运行中的记录服务数据 / verify a case in the recording service's
                                                   database and object storage (DATABASE_URL or DATA_DIR, MINIO_*)
  options: --json   机器可读输出 / print the report as JSON

退出码 / exit code: 0 完整 intact · 1 被篡改或损坏 broken · 2 用法错误或无法校验 usage error or could not verify`;

export type VerifyExitCode = 0 | 1 | 2;

export interface VerifyCliOutput {
  stdout(text: string): void;
  stderr(text: string): void;
}

/** What both modes report, for the summary. */
interface VerificationSummary {
  intact: boolean;
  records: number;
  evidence: number;
  evidenceNotIncluded: number;
  verifiedAt: string;
  caseId?: string;
  caseNumber?: string;
  chainHead?: string;
  archiveSha256?: string;
  archiveVersion?: number;
  supersedes?: { archiveId: string; sha256: string; recordCount: number; chainHead: string } | null;
  firstBroken?: ArchiveBrokenLink;
}

const REASONS: Record<ArchiveBrokenReason, { zh: string; en: string }> = {
  'sequence-gap': { zh: '记录序号不连续（缺失、重复或顺序被改）', en: 'records are missing, duplicated or out of order' },
  'previous-hash-mismatch': {
    zh: '记录的"前一哈希"与前一条记录的哈希不符',
    en: "the record's previous hash is not the previous record's hash",
  },
  'content-hash-mismatch': {
    zh: '记录内容与其哈希不符（内容被修改）',
    en: "the record's content does not match its hash (it was changed)",
  },
  'chain-head-mismatch': { zh: '案件的链头或记录数与记录不符', en: "the case's chain head or record count does not match its records" },
  'case-state-mismatch': {
    zh: '案件状态（处理状态、法制审核状态、程序状态）与其记录或防篡改校验不符',
    en: "the case's state (status, legal-review status, procedure state) does not match its records or its seal",
  },
  'evidence-digest-mismatch': {
    zh: '证据的 SHA-256 与哈希链中固定的摘要不符',
    en: 'the evidence does not hash to the digest fixed in the chain',
  },
  'evidence-missing': { zh: '证据缺失', en: 'the evidence is missing' },
  'evidence-not-in-chain': { zh: '证据未被哈希链中的封存记录收录', en: 'no sealing record in the chain names this evidence' },
  'archive-malformed': {
    zh: '归档包结构不正确（文件缺失、无法解析、重复或多余）',
    en: 'the archive is malformed (a file missing, unreadable, duplicated or added)',
  },
  'chain-file-mismatch': { zh: 'chain.json 与记录不符', en: 'chain.json does not match the records' },
  'case-file-mismatch': { zh: 'case.json 与记录不符', en: 'case.json does not match the records' },
};

class UsageError extends Error {}

interface ParsedArguments {
  mode: 'archive' | 'case' | 'help';
  target: string;
  json: boolean;
}

function parseArguments(argv: readonly string[]): ParsedArguments {
  let archive: string | undefined;
  let caseId: string | undefined;
  let json = false;
  for (let index = 0; index < argv.length; index += 1) {
    const argument = argv[index];
    const value = (): string => {
      const next = argv[index + 1];
      if (next === undefined || next.startsWith('--')) throw new UsageError(`${argument} needs a value`);
      index += 1;
      return next;
    };
    if (argument === '--archive') archive = value();
    else if (argument === '--case') caseId = value();
    else if (argument === '--json') json = true;
    else if (argument === '--help' || argument === '-h') return { mode: 'help', target: '', json };
    else throw new UsageError(`unknown argument ${argument}`);
  }
  if (archive !== undefined && caseId !== undefined) throw new UsageError('give --archive or --case, not both');
  if (archive !== undefined) return { mode: 'archive', target: archive, json };
  if (caseId !== undefined) return { mode: 'case', target: caseId, json };
  throw new UsageError('give --archive <file> or --case <caseId>');
}

/**
 * `npm run verify`: verifies a case archive offline, or a case live against the recording service's own
 * database and object storage (configured from the environment exactly as the service is). Returns the
 * exit code: 0 intact, 1 broken, 2 usage error or nothing could be verified.
 */
export async function runVerifyCli(
  argv: readonly string[],
  env: Record<string, string | undefined>,
  output: VerifyCliOutput,
): Promise<VerifyExitCode> {
  let parsed: ParsedArguments;
  try {
    parsed = parseArguments(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    output.stderr(`verify: ${error.message}\n${VERIFY_USAGE}\n`);
    return 2;
  }
  if (parsed.mode === 'help') {
    output.stdout(`${VERIFY_USAGE}\n`);
    return 0;
  }
  let summary: VerificationSummary;
  try {
    summary = parsed.mode === 'archive' ? await verifyArchive(parsed.target) : await verifyLive(parsed.target, env);
  } catch (error) {
    if (error instanceof UsageError || error instanceof ConfigError) {
      output.stderr(`verify: ${error.message}\n`);
      return 2;
    }
    if (error instanceof RecordingError) {
      // CASE_NOT_FOUND: nothing to verify, which is not a broken chain.
      output.stderr(`verify: ${error.message} (${error.code}): ${parsed.target}\n`);
      return 2;
    }
    output.stderr(`verify: 无法完成校验 / could not verify: ${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
  output.stdout(parsed.json ? `${JSON.stringify(summary, null, 2)}\n` : formatSummary(summary, parsed.mode));
  return summary.intact ? 0 : 1;
}

async function verifyArchive(file: string): Promise<VerificationSummary> {
  if (!existsSync(file) || !statSync(file).isFile()) throw new UsageError(`没有这个文件 / no such file: ${file}`);
  return verifyArchiveFile(file);
}

async function verifyLive(caseId: string, env: Record<string, string | undefined>): Promise<VerificationSummary> {
  const config = loadServiceConfig(recordingSettings, env);
  // Without migrations (openDatabase would at least create their table): an auditor's check must not write to what
  // it checks, nor create an empty SQLite database where none is.
  return withCommandDatabase(
    config,
    async (dataSource) => {
      const storage = createObjectStorage(config.storage);
      // The service's field key, from which the case rows' seal key is derived (cases/case-state-seal.ts).
      const seal = new CaseStateSeal(await FieldCipher.fromConfig(config.settings.fieldEncryption));
      return new ChainVerificationService(new ChainSnapshotRepository(dataSource), storage, seal).verify(caseId);
    },
    {
      entities: [CaseEntity, CaseRecordEntity, EvidenceItemEntity],
      missing: (message) => new UsageError(`没有记录服务数据库 / ${message}`),
    },
  );
}

/** A summary for people, in Chinese and English. */
export function formatSummary(summary: VerificationSummary, mode: 'archive' | 'case'): string {
  const lines: string[] = [];
  const subject = summary.caseId ? `案件 case ${summary.caseId}${summary.caseNumber ? `（${summary.caseNumber}）` : ''}` : '归档包 archive';
  lines.push(summary.intact ? `${subject}：完整 / INTACT` : `${subject}：已被篡改或损坏 / BROKEN`);
  lines.push(
    `  来源 source: ${mode === 'archive' ? '归档包（离线）/ archive (offline)' : '记录服务数据库与对象存储 / live database and object storage'}`,
  );
  lines.push(`  已校验记录 records checked: ${summary.records}`);
  const notIncluded =
    summary.evidenceNotIncluded > 0
      ? `，其中 ${summary.evidenceNotIncluded} 件未包含在归档中 / ${summary.evidenceNotIncluded} not included in the archive`
      : '';
  lines.push(`  证据 evidence: ${summary.evidence}${notIncluded}`);
  if (summary.chainHead) lines.push(`  链头 chain head: ${summary.chainHead}`);
  if (summary.archiveSha256) lines.push(`  归档包 SHA-256 archive SHA-256: ${summary.archiveSha256}`);
  if (summary.archiveVersion !== undefined) lines.push(`  归档版本 archive version: ${summary.archiveVersion}`);
  if (summary.supersedes) {
    lines.push(
      `  接续的归档 follows archive: ${summary.supersedes.archiveId} (SHA-256 ${summary.supersedes.sha256}, ${summary.supersedes.recordCount} 条记录 records)`,
    );
  }
  lines.push(`  校验时间 verified at: ${summary.verifiedAt}`);
  const broken = summary.firstBroken;
  if (broken) {
    const reason = REASONS[broken.reason];
    lines.push(`  第一个断点 first broken link:`);
    if (broken.sequence !== undefined)
      lines.push(`    第 ${broken.sequence} 条记录 record #${broken.sequence}${broken.recordId ? ` (${broken.recordId})` : ''}`);
    else if (broken.recordId) lines.push(`    记录 record ${broken.recordId}`);
    if (broken.evidenceId) lines.push(`    证据 evidence ${broken.evidenceId}`);
    if (broken.entry) lines.push(`    文件 entry ${broken.entry}`);
    lines.push(`    原因 reason: ${reason.zh} / ${reason.en} [${broken.reason}${broken.detail ? `: ${broken.detail}` : ''}]`);
    if (broken.expected !== undefined) lines.push(`    应为 expected: ${broken.expected}`);
    if (broken.actual !== undefined) lines.push(`    实际 actual:   ${broken.actual}`);
  } else if (summary.evidenceNotIncluded > 0) {
    lines.push(
      '  哈希链完整；证据原件未包含在归档中，未重新计算摘要 / the chain is intact; the evidence bytes were not included and were not re-hashed',
    );
  }
  return `${lines.join('\n')}\n`;
}
