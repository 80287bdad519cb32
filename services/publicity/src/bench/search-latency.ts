import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream, mkdtempSync, rmSync, type WriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection } from 'mysql2/promise';
import type { DataSource } from 'typeorm';
import { normalizeForSearch, searchTerms } from '../disclosure-core/search-terms';
import { PublicDecisionsRepository } from '../public/public-decisions.repository';

const VIOLATIONS = [
  '未取得食品经营许可从事食品经营活动',
  '销售超过保质期的食品',
  '销售不合格的电动自行车',
  '虚假宣传',
  '未按规定明码标价',
  '生产销售不符合安全标准的化妆品',
  '使用未经检验的特种设备',
  '无照经营',
  '侵犯注册商标专用权',
  '未按规定公示年度报告',
  '销售假冒伪劣农资产品',
  '计量器具未经检定',
];
const PLACES = ['黄浦', '徐汇', '长宁', '静安', '普陀', '虹口', '杨浦', '闵行', '宝山', '嘉定', '浦东', '松江'];
const TRADES = ['食品', '餐饮', '贸易', '科技', '建材', '医药', '服装', '电器', '物流', '文化'];

/** Bumped whenever what the seeder writes changes, so a database seeded by an older one is seeded again. */
const SEEDER_VERSION = 2;

/** A deterministic pseudo-random sequence, so every run seeds the same decisions. */
function rng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/** MariaDB's DATETIME(3) text, in UTC as the services store it (timezone 'Z'). */
function sqlTime(date: Date): string {
  return date.toISOString().replace('T', ' ').slice(0, 23);
}

const DISCLOSURE_COLUMNS = [
  'id',
  'case_id',
  'agency_id',
  'region_code',
  'domain',
  'case_number',
  'decision_number',
  'category',
  'status',
  'not_published_code',
  'confidentiality',
  'party_kind',
  'party_credit_code',
  'penalty_kinds',
  'fine_fen',
  'confiscation_fen',
  'decided_at',
  'due_at',
  'due_coverage',
  'overdue_announced_at',
  'original',
  'redacted',
  'findings',
  'chain_head',
  'reviewed_by',
  'published_at',
  'public_until',
  'published',
  'content_digest',
  'altered_at',
  'withdrawal_due_at',
  'withdrawn_at',
  'withdrawal_reason',
  'search_text',
  'created_at',
  'updated_at',
] as const;

const NULL = '\\N';

/** Writes one line, waiting when the stream's buffer is full (millions of lines must not pile up in memory). */
async function write(stream: WriteStream, chunk: string): Promise<void> {
  if (!stream.write(chunk)) await new Promise<void>((resolve) => stream.once('drain', resolve));
}

async function close(stream: WriteStream): Promise<void> {
  await new Promise<void>((resolve, reject) => stream.end((error?: Error | null) => (error ? reject(error) : resolve())));
}

/**
 * The decisions and their term-index rows as tab-separated files, built here the way approval writes them (the same
 * normalization and terms), so the database only loads them.
 */
async function writeSeedFiles(directory: string, count: number): Promise<{ rare: string[]; rows: string; terms: string }> {
  const next = rng(20_261_130 + count);
  const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)];
  const rare: string[] = [];
  const start = Date.UTC(2024, 0, 1);
  const span = Date.UTC(2026, 10, 1) - start;
  const publicUntil = sqlTime(new Date(Date.UTC(2030, 0, 1)));
  const findings = JSON.stringify({ partyName: [], decisionText: [], facts: [], legalBasis: [], violation: [] });
  const files = { rows: join(directory, 'disclosures.tsv'), terms: join(directory, 'terms.tsv') };
  const rows = createWriteStream(files.rows);
  const terms = createWriteStream(files.terms);
  for (let done = 0; done < count;) {
    const batch = Math.min(2_000, count - done);
    const rowLines: string[] = [];
    const termLines: string[] = [];
    for (let i = 0; i < batch; i++) {
      const id = randomUUID();
      const at = sqlTime(new Date(start + Math.floor(next() * span)));
      const party = `上海${pick(PLACES)}${String(Math.floor(next() * 1e6)).padStart(6, '0')}${pick(TRADES)}有限公司`;
      if (rare.length < 200 && next() < 0.01) rare.push(party.slice(4, 10));
      const violation = pick(VIOLATIONS);
      const searchText = normalizeForSearch(`${violation} ${party} 上海市${pick(PLACES)}区市场监督管理局 罚款`).slice(0, 1000);
      for (const term of searchTerms(searchText)) termLines.push(`${term}\t${at}\t${id}\n`);
      const n = done + i;
      const redacted = JSON.stringify({ partyName: party, decisionText: '', facts: '', legalBasis: '', violation });
      // Column by column as DISCLOSURE_COLUMNS; the original is never read by the search (the service seals it).
      const values = [
        id,
        randomUUID(),
        '00000000-0000-4000-8000-000000000001',
        '310101',
        'market-regulation',
        `案${n}`,
        `沪市监处〔2025〕${n}号`,
        'penalty',
        'published',
        NULL,
        'none',
        'organisation',
        NULL,
        'fine',
        '1000000',
        '0',
        at,
        at,
        'official',
        NULL,
        '',
        redacted,
        findings,
        'a'.repeat(64),
        'bench',
        at,
        publicUntil,
        NULL,
        NULL,
        NULL,
        NULL,
        NULL,
        NULL,
        searchText,
        at,
        at,
      ];
      rowLines.push(`${values.join('\t')}\n`);
    }
    await write(rows, rowLines.join(''));
    await write(terms, termLines.join(''));
    done += batch;
  }
  await Promise.all([close(rows), close(terms)]);
  return { rare, ...files };
}

/** What the seeded data depends on: the two tables as the migrations left them, and the seeder itself. */
async function schemaFingerprint(dataSource: DataSource): Promise<string> {
  const hash = createHash('sha256').update(`seeder ${SEEDER_VERSION}\n`);
  for (const table of ['disclosures', 'disclosure_search_terms']) {
    const [row] = (await dataSource.query(`SHOW CREATE TABLE \`${table}\``)) as Array<Record<string, string>>;
    hash.update(row['Create Table'] ?? '');
  }
  return hash.digest('hex');
}

interface SeedMark {
  decisions: number;
  fingerprint: string;
  rare: string[];
}

/** A bench database remembers what it was seeded with, so a later run with the same count and schema reuses it. */
async function seedMark(dataSource: DataSource): Promise<SeedMark | undefined> {
  await dataSource.query(
    'CREATE TABLE IF NOT EXISTS bench_seed (id INT PRIMARY KEY, decisions INT NOT NULL, fingerprint VARCHAR(64) NOT NULL, rare TEXT NOT NULL)',
  );
  const [row] = (await dataSource.query('SELECT decisions, fingerprint, rare FROM bench_seed WHERE id = 1')) as Array<{
    decisions: number;
    fingerprint: string;
    rare: string;
  }>;
  return row ? { decisions: Number(row.decisions), fingerprint: row.fingerprint, rare: JSON.parse(row.rare) as string[] } : undefined;
}

export interface SeedResult {
  rare: string[];
  /** Whether the database already held this seed (same count, same schema) and was only checked. */
  reused: boolean;
  seedMs: number;
}

/**
 * Seeds `count` published decisions with their term-index rows (as approval writes them) on MariaDB: built here into
 * two tab-separated files, then one LOAD DATA per table into the emptied tables (MariaDB sorts and builds the indexes
 * in bulk on an empty table). A database seeded before with the same count and schema fingerprint is reused as it is;
 * `fresh` seeds again regardless.
 */
export async function seedPublishedDecisions(
  dataSource: DataSource,
  url: string,
  count: number,
  options: { fresh?: boolean; log?: (line: string) => void } = {},
): Promise<SeedResult> {
  const log = options.log ?? (() => undefined);
  const started = Date.now();
  const fingerprint = await schemaFingerprint(dataSource);
  const mark = await seedMark(dataSource);
  if (!options.fresh && mark && mark.decisions === count && mark.fingerprint === fingerprint) {
    const [{ n }] = (await dataSource.query("SELECT COUNT(*) AS n FROM disclosures WHERE status = 'published'")) as Array<{ n: string }>;
    if (Number(n) === count) {
      log(`    reusing the ${count.toLocaleString('en-US')} decisions seeded before (schema ${fingerprint.slice(0, 12)})`);
      return { rare: mark.rare, reused: true, seedMs: Date.now() - started };
    }
  }
  await dataSource.query('DELETE FROM bench_seed');
  await dataSource.query('TRUNCATE TABLE disclosure_search_terms');
  await dataSource.query('TRUNCATE TABLE disclosures');
  const directory = mkdtempSync(join(tmpdir(), 'publicity-bench-'));
  try {
    const files = await writeSeedFiles(directory, count);
    log(`    built ${count.toLocaleString('en-US')} decisions and their terms in ${((Date.now() - started) / 1000).toFixed(0)} s`);
    const connection = await createConnection({ uri: url, timezone: 'Z', charset: 'utf8mb4' });
    try {
      await connection.query('SET SESSION unique_checks = 0, foreign_key_checks = 0, sort_buffer_size = 268435456');
      const load = async (table: string, file: string, columns: string) => {
        const loading = Date.now();
        await connection.query({
          sql: `LOAD DATA LOCAL INFILE ? INTO TABLE \`${table}\` CHARACTER SET utf8mb4 FIELDS TERMINATED BY '\\t' ESCAPED BY '\\\\' LINES TERMINATED BY '\\n' (${columns})`,
          values: [file],
          infileStreamFactory: (path: string) => createReadStream(path),
        });
        log(`    loaded ${table} in ${((Date.now() - loading) / 1000).toFixed(0)} s`);
      };
      await load('disclosures', files.rows, DISCLOSURE_COLUMNS.join(', '));
      // The terms come in decision order, the index wants term order: loaded as they come into a table without keys
      // (Aria appends), then copied over sorted in one statement, so the index grows at its end instead of at random
      // pages of a tree far larger than the buffer pool.
      await connection.query('DROP TABLE IF EXISTS bench_terms_staging');
      await connection.query(
        'CREATE TABLE bench_terms_staging (term VARCHAR(8) NOT NULL, published_at DATETIME(3) NOT NULL, disclosure_id VARCHAR(36) NOT NULL) ENGINE=Aria TRANSACTIONAL=0 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci',
      );
      await load('bench_terms_staging', files.terms, 'term, published_at, disclosure_id');
      const sorting = Date.now();
      await connection.query(
        'INSERT IGNORE INTO disclosure_search_terms (term, published_at, disclosure_id) SELECT term, published_at, disclosure_id FROM bench_terms_staging ORDER BY term, published_at, disclosure_id',
      );
      await connection.query('DROP TABLE bench_terms_staging');
      log(`    indexed the terms in ${((Date.now() - sorting) / 1000).toFixed(0)} s`);
    } finally {
      await connection.end();
    }
    await dataSource.query('INSERT INTO bench_seed (id, decisions, fingerprint, rare) VALUES (1, ?, ?, ?)', [
      count,
      fingerprint,
      JSON.stringify(files.rare),
    ]);
    return { rare: files.rare, reused: false, seedMs: Date.now() - started };
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

export interface SearchLatency {
  samples: number;
  p50Ms: number;
  p99Ms: number;
}

/** Keyword searches through the public repository, first page of 20: common, mid and rare keywords in turn. */
export async function measureSearchLatency(dataSource: DataSource, rare: string[], samples: number): Promise<SearchLatency> {
  const repository = new PublicDecisionsRepository(dataSource);
  const keywords = ['食品', '经营许可', '电动自行车', '虚假宣传', '明码标价', '保质期', ...rare.slice(0, 20)];
  const times: number[] = [];
  for (let i = 0; i < samples; i++) {
    const keyword = keywords[i % keywords.length];
    const started = process.hrtime.bigint();
    await repository.page({ keyword }, { limit: 20 });
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))];
  return { samples, p50Ms: at(0.5), p99Ms: at(0.99) };
}
