import { openDatabase } from '@enforcement/persistence';
import type { KeysetPosition } from '@enforcement/service-runtime';
import { createTestDatabase, type TestDatabase } from '@enforcement/testing';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { PUBLICITY_ENTITIES, PUBLICITY_MIGRATIONS } from '../app/publicity-app.module';
import { DisclosureEntity } from '../disclosures/disclosure.entity';
import { DisclosureRepository } from '../disclosures/disclosure.repository';
import { PublicDecisionsRepository, type PublicSearch } from './public-decisions.repository';

const AGENCY_BUSY = '00000000-0000-4000-8000-00000000000a';
const AGENCY_QUIET = '00000000-0000-4000-8000-00000000000b';
const START = Date.UTC(2026, 2, 2, 1);

function decision(minute: number, agencyId: string, publicUntil = new Date(Date.UTC(2030, 0, 1))): DisclosureEntity {
  const at = new Date(START + minute * 60_000);
  return {
    id: randomUUID(),
    caseId: randomUUID(),
    agencyId,
    regionCode: '310101',
    domain: 'market-regulation',
    caseNumber: `案${minute}`,
    decisionNumber: `沪市监处〔2026〕${minute}号`,
    category: 'penalty',
    status: 'published',
    notPublishedCode: null,
    confidentiality: 'none',
    partyKind: 'organisation',
    partyCreditCode: null,
    penaltyKinds: 'fine',
    fineFen: 1_000_000,
    confiscationFen: 0,
    decidedAt: at,
    dueAt: at,
    dueCoverage: 'official',
    overdueAnnouncedAt: null,
    originalSealed: '',
    redacted: { partyName: '某公司', decisionText: '', facts: '', legalBasis: '', violation: '' },
    findings: { partyName: [], decisionText: [], facts: [], legalBasis: [], violation: [] },
    chainHead: 'a'.repeat(64),
    reviewedBy: 'spec',
    published: null,
    publishedAt: at,
    publicUntil,
    contentDigest: 'b'.repeat(64),
    alteredAt: null,
    withdrawalDueAt: null,
    withdrawnAt: null,
    withdrawalReason: null,
    revision: 0,
    replacesId: null,
    replacedById: null,
    searchText: '',
    createdAt: at,
    updatedAt: at,
  };
}

/**
 * Keyword pages through the public repository, indexed as publication indexes them: candidates come from
 * the term index in batches, so a page must stay whole, ordered and exact however many candidates the filters or the
 * exact match turn away.
 */
describe.each(['MariaDB', 'SQLite'])('keyword search of public decisions on %s', (engine) => {
  let database: TestDatabase | undefined;
  let dataSource: DataSource;
  let repository: PublicDecisionsRepository;
  /** Newest first, as the portal lists them. */
  const busy: DisclosureEntity[] = [];
  const quiet: DisclosureEntity[] = [];
  let scattered: DisclosureEntity;
  let expired: DisclosureEntity;

  async function publish(row: DisclosureEntity, searchable: string): Promise<void> {
    const disclosures = new DisclosureRepository(dataSource);
    await dataSource.transaction(async (manager) => {
      await disclosures.index(manager, row, searchable);
      await manager.insert(DisclosureEntity, { ...row });
    });
  }

  /** Every page of a search, `limit` at a time, following the cursors. */
  async function allPages(search: PublicSearch, limit: number): Promise<string[][]> {
    const pages: string[][] = [];
    let after: KeysetPosition | undefined;
    do {
      const page = await repository.page(search, { after, limit });
      pages.push(page.items.map((row) => row.id));
      after = page.next;
    } while (after && pages.length < 100);
    return pages;
  }

  beforeAll(async () => {
    // SQLite as the embedded mode runs it: the same two steps must page the same there.
    database = engine === 'MariaDB' ? await createTestDatabase('publicity_keyword_pages') : undefined;
    dataSource = await openDatabase({
      url: database?.url,
      sqliteFile: ':memory:',
      entities: PUBLICITY_ENTITIES,
      migrations: PUBLICITY_MIGRATIONS,
    });
    repository = new PublicDecisionsRepository(dataSource);
    // Three of the quiet agency's decisions, oldest, behind 200 newer ones of the busy agency with the same keyword:
    // more candidates than the first batches hold before a quiet one comes up.
    for (let i = 0; i < 3; i++) quiet.unshift(decision(i, AGENCY_QUIET));
    for (let i = 0; i < 200; i++) busy.unshift(decision(10 + i, AGENCY_BUSY));
    for (const row of [...quiet, ...busy]) await publish(row, '销售超过保质期的食品 上海某食品有限公司');
    // Every piece of 食品安全 indexed (食品安, 品安全), but never the whole word.
    scattered = decision(300, AGENCY_QUIET);
    await publish(scattered, '食品安康 产品安全');
    expired = decision(301, AGENCY_QUIET, new Date(Date.UTC(2026, 0, 1)));
    await publish(expired, '销售超过保质期的食品');
  }, 120_000);

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  it('fills a page with the decisions the filters keep, past batches of candidates they turn away', async () => {
    const first = await repository.page({ keyword: '保质期', agencyId: AGENCY_QUIET }, { limit: 2 });
    expect(first.items.map((row) => row.id)).toEqual(quiet.slice(0, 2).map((row) => row.id));
    expect(first.next).toBeDefined();
    const second = await repository.page({ keyword: '保质期', agencyId: AGENCY_QUIET }, { after: first.next, limit: 2 });
    expect(second.items.map((row) => row.id)).toEqual([quiet[2].id]);
    expect(second.next).toBeUndefined();
  });

  it('pages through every hit newest first, each once, and leaves out decisions past their period', async () => {
    const pages = await allPages({ keyword: '食品' }, 30);
    expect(pages.flat()).toEqual([scattered, ...busy, ...quiet].map((row) => row.id));
    expect(pages.slice(0, -1).every((page) => page.length === 30)).toBe(true);
    expect(pages.flat()).not.toContain(expired.id);
  });

  it('ends a page short once it has read its share of candidates, and the cursor goes on from there to every hit', async () => {
    const search = { keyword: '保质期', agencyId: AGENCY_QUIET };
    // 200 newer decisions of the busy agency come first: with 100 candidates a page, the first two pages find none.
    const first = await repository.page(search, { limit: 2, scanLimit: 100 });
    expect(first.items).toEqual([]);
    expect(first.next).toBeDefined();
    const pages: string[][] = [];
    let after = first.next;
    while (after && pages.length < 10) {
      const page = await repository.page(search, { after, limit: 2, scanLimit: 100 });
      pages.push(page.items.map((row) => row.id));
      after = page.next;
    }
    expect(pages.flat()).toEqual(quiet.map((row) => row.id));
    expect(pages.length).toBeGreaterThan(2);
  });

  it('finds a keyword only where it stands whole, not where only its pieces are indexed', async () => {
    expect((await repository.page({ keyword: '食品安全' }, { limit: 20 })).items).toEqual([]);
    expect((await repository.page({ keyword: '产品安全' }, { limit: 20 })).items.map((row) => row.id)).toEqual([scattered.id]);
    expect((await repository.page({ keyword: '不存在' }, { limit: 20 })).items).toEqual([]);
  });
});
