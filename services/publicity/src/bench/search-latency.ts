import { penaltyKindName } from '@enforcement/contracts';
import { createHash, randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { createConnection, type Connection } from 'mysql2/promise';
import type { DataSource } from 'typeorm';
import { indexedText, searchableText, searchTerms } from '../disclosure-core/search-terms';
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
const SEEDER_VERSION = 4;

/** A deterministic pseudo-random sequence, so every run seeds the same decisions. */
function rng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const decisionNumber = (n: number) => `沪市监处〔2025〕${n}号`;

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

/** A posting list: the ranks of the decisions holding one term, in publication order (grown by doubling). */
class Postings {
  ranks = new Int32Array(16);
  length = 0;

  push(rank: number): void {
    if (this.length === this.ranks.length) {
      const grown = new Int32Array(this.ranks.length * 2);
      grown.set(this.ranks);
      this.ranks = grown;
    }
    this.ranks[this.length++] = rank;
  }
}

/** The seed held in memory: a million decisions' own fields, and the term index as posting lists. */
interface Seed {
  count: number;
  ids: string[];
  caseIds: string[];
  at: string[];
  parties: string[];
  violations: string[];
  searchTexts: string[];
  rare: string[];
  /** Decision indexes in primary-key order of disclosures (by id). */
  byId: Int32Array;
  /** Decision indexes in publication order (published_at, id): a posting's rank points here. */
  byPublication: Int32Array;
  postings: Map<string, Postings>;
  termRows: number;
}

/**
 * The decisions, and their terms as approval writes them (the same normalization and term extraction), kept in memory
 * so that both tables can be streamed to MariaDB in their primary-key order: each index then grows at its end.
 */
function buildSeed(count: number): Seed {
  const next = rng(20_261_130 + count);
  const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)];
  const start = Date.UTC(2024, 0, 1);
  const span = Date.UTC(2026, 10, 1) - start;
  const seed: Omit<Seed, 'byId' | 'byPublication'> = {
    count,
    ids: [],
    caseIds: [],
    at: [],
    parties: [],
    violations: [],
    searchTexts: [],
    rare: [],
    postings: new Map(),
    termRows: 0,
  };
  for (let n = 0; n < count; n++) {
    seed.ids.push(randomUUID());
    seed.caseIds.push(randomUUID());
    seed.at.push(sqlTime(new Date(start + Math.floor(next() * span))));
    const party = `上海${pick(PLACES)}${String(Math.floor(next() * 1e6)).padStart(6, '0')}${pick(TRADES)}有限公司`;
    if (seed.rare.length < 200 && next() < 0.01) seed.rare.push(party.slice(4, 10));
    const violation = pick(VIOLATIONS);
    seed.parties.push(party);
    seed.violations.push(violation);
    // What approval indexes (disclosures.service: the published record's searchable fields).
    const searchable = searchableText({
      violation,
      partyName: party,
      agencyName: `上海市${pick(PLACES)}区市场监督管理局`,
      decisionNumber: decisionNumber(n),
      creditCode: '',
      penaltyKinds: [penaltyKindName('fine')],
    });
    seed.searchTexts.push(indexedText(searchable));
  }
  const order = (compare: (a: number, b: number) => number) => Int32Array.from(Array.from({ length: count }, (_, i) => i).sort(compare));
  const byId = order((a, b) => (seed.ids[a] < seed.ids[b] ? -1 : 1));
  const byPublication = order((a, b) =>
    seed.at[a] !== seed.at[b] ? (seed.at[a] < seed.at[b] ? -1 : 1) : seed.ids[a] < seed.ids[b] ? -1 : 1,
  );
  for (let rank = 0; rank < count; rank++) {
    for (const term of searchTerms(seed.searchTexts[byPublication[rank]])) {
      let list = seed.postings.get(term);
      if (!list) seed.postings.set(term, (list = new Postings()));
      list.push(rank);
      seed.termRows++;
    }
  }
  return { ...seed, byId, byPublication };
}

/** The decisions as LOAD DATA lines, by id, column by column as DISCLOSURE_COLUMNS. */
function* disclosureLines(seed: Seed): Generator<Buffer> {
  const publicUntil = sqlTime(new Date(Date.UTC(2030, 0, 1)));
  const findings = JSON.stringify({ partyName: [], decisionText: [], facts: [], legalBasis: [], violation: [] });
  const chainHead = 'a'.repeat(64);
  let lines: string[] = [];
  for (const n of seed.byId) {
    const at = seed.at[n];
    const redacted = JSON.stringify({
      partyName: seed.parties[n],
      decisionText: '',
      facts: '',
      legalBasis: '',
      violation: seed.violations[n],
    });
    // The original is never read by the search (the service seals it).
    const values = [
      seed.ids[n],
      seed.caseIds[n],
      '00000000-0000-4000-8000-000000000001',
      '310101',
      'market-regulation',
      `案${n}`,
      decisionNumber(n),
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
      chainHead,
      'bench',
      at,
      publicUntil,
      NULL,
      NULL,
      NULL,
      NULL,
      NULL,
      NULL,
      seed.searchTexts[n],
      at,
      at,
    ];
    lines.push(`${values.join('\t')}\n`);
    if (lines.length === 2_000) {
      yield Buffer.from(lines.join(''));
      lines = [];
    }
  }
  if (lines.length > 0) yield Buffer.from(lines.join(''));
}

/**
 * The term index as LOAD DATA lines in its primary-key order: terms in the order MariaDB sorts them (`terms`), each
 * term's decisions in publication order. Built by copying bytes, since there are a hundred million of them.
 */
function* termLines(seed: Seed, terms: string[], progress: (rows: number) => void): Generator<Buffer> {
  // Every decision's "\t<published_at>\t<id>\n" at a fixed width, by publication rank.
  const width = 1 + 23 + 1 + 36 + 1;
  const suffixes = Buffer.alloc(seed.count * width);
  seed.byPublication.forEach((n, rank) => suffixes.write(`\t${seed.at[n]}\t${seed.ids[n]}\n`, rank * width, 'latin1'));
  const chunk = 1 << 20;
  let out = Buffer.allocUnsafe(chunk);
  let used = 0;
  let rows = 0;
  for (const term of terms) {
    const bytes = Buffer.from(term);
    const list = seed.postings.get(term);
    if (!list) throw new Error(`term ${term} has no postings`);
    for (let i = 0; i < list.length; i++) {
      if (used + bytes.length + width > chunk) {
        yield out.subarray(0, used);
        out = Buffer.allocUnsafe(chunk);
        used = 0;
      }
      used += bytes.copy(out, used);
      used += suffixes.copy(out, used, list.ranks[i] * width, (list.ranks[i] + 1) * width);
      if (++rows % 10_000_000 === 0) progress(rows);
    }
  }
  if (used > 0) yield out.subarray(0, used);
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

/** The distinct terms in the order of the index's collation, asked of MariaDB itself rather than imitated here. */
async function collationOrder(connection: Connection, terms: string[]): Promise<string[]> {
  const table = `JSON_TABLE(?, '$[*]' COLUMNS (term VARCHAR(8) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci PATH '$')) j`;
  const [rows] = (await connection.query(`SELECT term FROM ${table} ORDER BY term`, [JSON.stringify(terms)])) as unknown as [
    Array<{ term: string }>,
  ];
  const [[{ n }]] = (await connection.query(`SELECT COUNT(DISTINCT term) AS n FROM ${table}`, [JSON.stringify(terms)])) as unknown as [
    Array<{ n: number }>,
  ];
  // Two terms equal under the collation would be one key of the index: the seed must not hold such a pair.
  if (Number(n) !== terms.length || rows.length !== terms.length) throw new Error(`${terms.length - Number(n)} terms collate equal`);
  return rows.map((row) => row.term);
}

/**
 * Seeds `count` published decisions with their term-index rows (as approval writes them) on MariaDB: built in memory
 * here, then streamed with one LOAD DATA per table into the emptied tables in primary-key order, with unique and
 * foreign-key checks off for the session, so InnoDB can take its bulk path into an empty table (no undo log) and each
 * B-tree grows at its end instead of at random pages far beyond the buffer pool. A database seeded before with the
 * same count and schema fingerprint is reused as it is; `fresh` seeds again regardless.
 */
export async function seedPublishedDecisions(
  dataSource: DataSource,
  url: string,
  count: number,
  options: { fresh?: boolean; log?: (line: string) => void } = {},
): Promise<SeedResult> {
  const log = options.log ?? (() => undefined);
  const started = Date.now();
  const seconds = (since: number) => `${((Date.now() - since) / 1000).toFixed(0)} s`;
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
  const seed = buildSeed(count);
  log(
    `    built ${count.toLocaleString('en-US')} decisions and their ${seed.termRows.toLocaleString('en-US')} terms in ${seconds(started)}`,
  );
  const connection = await createConnection({ uri: url, timezone: 'Z', charset: 'utf8mb4' });
  try {
    await connection.query('SET SESSION unique_checks = 0, foreign_key_checks = 0');
    const load = async (table: string, columns: string, lines: Iterable<Buffer>) => {
      const loading = Date.now();
      await connection.query({
        sql: `LOAD DATA LOCAL INFILE 'seed' INTO TABLE \`${table}\` CHARACTER SET utf8mb4 FIELDS TERMINATED BY '\\t' ESCAPED BY '\\\\' LINES TERMINATED BY '\\n' (${columns})`,
        infileStreamFactory: () => Readable.from(lines),
      });
      log(`    loaded ${table} in ${seconds(loading)}`);
    };
    await load('disclosures', DISCLOSURE_COLUMNS.join(', '), disclosureLines(seed));
    const terms = await collationOrder(connection, [...seed.postings.keys()]);
    const loading = Date.now();
    const progress = (rows: number) =>
      log(
        `      ${(rows / 1e6).toFixed(0)} million of ${(seed.termRows / 1e6).toFixed(0)} million term rows streamed (${seconds(loading)})`,
      );
    await load('disclosure_search_terms', 'term, published_at, disclosure_id', termLines(seed, terms, progress));
  } finally {
    await connection.end();
  }
  await dataSource.query('INSERT INTO bench_seed (id, decisions, fingerprint, rare) VALUES (1, ?, ?, ?)', [
    count,
    fingerprint,
    JSON.stringify(seed.rare),
  ]);
  return { rare: seed.rare, reused: false, seedMs: Date.now() - started };
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
