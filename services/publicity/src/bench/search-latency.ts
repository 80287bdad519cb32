import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { normalizeForSearch, searchTerms } from '../disclosure-core/search-terms';
import { DisclosureEntity } from '../disclosures/disclosure.entity';
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

/** A deterministic pseudo-random sequence, so every run seeds the same decisions. */
function rng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/**
 * Seeds `count` published decisions straight into the tables (rows as approval writes them, with their terms), in
 * batches; returns the distinct party names' sample for rare-keyword searches.
 */
export async function seedPublishedDecisions(
  dataSource: DataSource,
  count: number,
  log: (line: string) => void = () => undefined,
): Promise<string[]> {
  const next = rng(20_261_130 + count);
  const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)];
  const rare: string[] = [];
  const start = Date.UTC(2024, 0, 1);
  const span = Date.UTC(2026, 10, 1) - start;
  const mysql = dataSource.options.type !== 'better-sqlite3';
  for (let done = 0; done < count;) {
    const batch = Math.min(1_000, count - done);
    const rows: DisclosureEntity[] = [];
    const terms: Array<[string, Date, string]> = [];
    for (let i = 0; i < batch; i++) {
      const id = randomUUID();
      const publishedAt = new Date(start + Math.floor(next() * span));
      const party = `上海${pick(PLACES)}${String(Math.floor(next() * 1e6)).padStart(6, '0')}${pick(TRADES)}有限公司`;
      if (rare.length < 200 && next() < 0.01) rare.push(party.slice(4, 10));
      const violation = pick(VIOLATIONS);
      const searchText = normalizeForSearch(`${violation} ${party} 上海市${pick(PLACES)}区市场监督管理局 罚款`).slice(0, 1000);
      for (const term of searchTerms(searchText)) terms.push([term, publishedAt, id]);
      rows.push({
        id,
        caseId: randomUUID(),
        agencyId: '00000000-0000-4000-8000-000000000001',
        regionCode: '310101',
        domain: 'market-regulation',
        caseNumber: `案${done + i}`,
        decisionNumber: `沪市监处〔2025〕${done + i}号`,
        category: 'penalty',
        status: 'published',
        notPublishedCode: null,
        confidentiality: 'none',
        partyKind: 'organisation',
        partyCreditCode: null,
        penaltyKinds: 'fine',
        fineFen: 1_000_000,
        confiscationFen: 0,
        decidedAt: publishedAt,
        dueAt: publishedAt,
        dueCoverage: 'official',
        overdueAnnouncedAt: null,
        // Never read by the search; the service seals it with its field key.
        originalSealed: '',
        redacted: { partyName: party, decisionText: '', facts: '', legalBasis: '', violation },
        findings: { partyName: [], decisionText: [], facts: [], legalBasis: [], violation: [] },
        chainHead: 'a'.repeat(64),
        reviewedBy: 'bench',
        published: null,
        publishedAt,
        publicUntil: new Date(Date.UTC(2030, 0, 1)),
        contentDigest: null,
        alteredAt: null,
        withdrawalDueAt: null,
        withdrawnAt: null,
        withdrawalReason: null,
        searchText,
        createdAt: publishedAt,
        updatedAt: publishedAt,
      });
    }
    await dataSource.createQueryBuilder().insert().into(DisclosureEntity).values(rows).execute();
    for (let i = 0; i < terms.length; i += 5_000) {
      const slice = terms.slice(i, i + 5_000);
      const placeholders = slice.map(() => '(?, ?, ?)').join(',');
      await dataSource.query(
        `INSERT ${mysql ? 'IGNORE' : 'OR IGNORE'} INTO disclosure_search_terms (term, published_at, disclosure_id) VALUES ${placeholders}`,
        slice.flat(),
      );
    }
    done += batch;
    if (done % 50_000 === 0 || done === count) log(`    seeded ${done.toLocaleString('en-US')} decisions`);
  }
  return rare;
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
