import { addDays, startOfChinaDay } from '@enforcement/calendar';
import { openDatabase } from '@enforcement/persistence';
import { createTestDatabase, type TestDatabase } from '@enforcement/testing';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { PUBLICITY_ENTITIES, PUBLICITY_MIGRATIONS } from '../app/publicity-app.module';
import { merkleRoot, verifyInclusion } from '../disclosure-core/merkle';
import { DisclosureEntity, type DisclosureStatus } from '../disclosures/disclosure.entity';
import { PublicDecisionsRepository } from '../public/public-decisions.repository';
import { DailyRootRepository } from './daily-root.repository';
import { DailyRootsService } from './daily-roots.service';

const DAY = '2026-03-02';
const PUBLISHED_ON_DAY = 230; // more than one statement of leaves (200 a statement)

function disclosure(publishedAt: Date, status: DisclosureStatus, withdrawnAt: Date | null = null): DisclosureEntity {
  return {
    id: randomUUID(),
    caseId: randomUUID(),
    agencyId: '00000000-0000-4000-8000-000000000001',
    regionCode: '310101',
    domain: 'market-regulation',
    caseNumber: `案${publishedAt.getTime()}`,
    decisionNumber: `沪市监处〔2026〕${publishedAt.getTime()}号`,
    category: 'penalty',
    status,
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
    originalSealed: '',
    redacted: { partyName: '某公司', decisionText: '', facts: '', legalBasis: '', violation: '无证经营' },
    findings: { partyName: [], decisionText: [], facts: [], legalBasis: [], violation: [] },
    chainHead: 'a'.repeat(64),
    reviewedBy: 'spec',
    published: null,
    publishedAt,
    publicUntil: new Date(Date.UTC(2030, 0, 1)),
    contentDigest: 'b'.repeat(64),
    alteredAt: withdrawnAt,
    withdrawalDueAt: withdrawnAt,
    withdrawnAt,
    withdrawalReason: withdrawnAt ? '该决定已被撤销' : null,
    revision: 0,
    replacesId: null,
    replacedById: null,
    searchText: '',
    createdAt: publishedAt,
    updatedAt: publishedAt,
  };
}

/** The daily roots through their repository on MariaDB: which days are due, leaves written in batches, proofs, the feed. */
describe('daily roots and the decision feed on MariaDB', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let roots: DailyRootsService;
  let repository: DailyRootRepository;
  const onDay: DisclosureEntity[] = [];
  let withdrawn: DisclosureEntity;

  beforeAll(async () => {
    database = await createTestDatabase('publicity_daily_roots');
    dataSource = await openDatabase({
      url: database.url,
      sqliteFile: ':memory:',
      entities: PUBLICITY_ENTITIES,
      migrations: PUBLICITY_MIGRATIONS,
    });
    repository = new DailyRootRepository(dataSource);
    roots = new DailyRootsService(dataSource, repository);
    const start = startOfChinaDay(DAY).getTime();
    for (let i = 0; i < PUBLISHED_ON_DAY; i++) onDay.push(disclosure(new Date(start + 60_000 + i * 1000), 'published'));
    // Published the day before, withdrawn on DAY between its 60th and 61st publication: a leaf in each day.
    withdrawn = disclosure(new Date(start - 3_600_000), 'withdrawn', new Date(start + 60_000 + 59_500));
    // Never published: no leaf anywhere.
    const pending = { ...disclosure(new Date(start + 30_000), 'pending-review'), publishedAt: null, contentDigest: null };
    // Copies: TypeORM writes what it reads back after a multi-row insert onto the objects given, not always in their order.
    await dataSource.manager.insert(
      DisclosureEntity,
      [...onDay, withdrawn, pending].map((row) => ({ ...row })),
    );
  }, 60_000);

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  it('fixes the days from the first publication up to yesterday, each once', async () => {
    const now = new Date(startOfChinaDay(addDays(DAY, 1)).getTime() + 3_600_000);
    expect(await roots.computeDue(now)).toEqual([addDays(DAY, -1), DAY]);
    expect(await roots.computeDue(now)).toEqual([]);
    expect((await roots.roots(10)).map((root) => [root.day, root.size])).toEqual([
      [DAY, PUBLISHED_ON_DAY + 1],
      [addDays(DAY, -1), 1],
    ]);
  });

  it('keeps every leaf of a day of more than one batch at its position, each provable against the root', async () => {
    const { root, leaves } = await repository.fixedDay(DAY);
    expect(leaves.map((leaf) => leaf.position)).toEqual([...Array(PUBLISHED_ON_DAY + 1).keys()]);
    expect(merkleRoot(leaves.map((leaf) => leaf.leafHash))).toBe(root.root);
    // The leaves go in time order, the withdrawal among the publications.
    expect(leaves.map((leaf) => leaf.disclosureId)).toEqual([
      ...onDay.slice(0, 60).map((d) => d.id),
      withdrawn.id,
      ...onDay.slice(60).map((d) => d.id),
    ]);
    const late = onDay[PUBLISHED_ON_DAY - 5];
    const [proof] = await roots.proofs(late.id);
    expect(proof.index).toBeGreaterThanOrEqual(200);
    expect(verifyInclusion(proof.leafHash, proof.index, proof.size, proof.proof, proof.root)).toBe(true);
    expect(proof.root).toBe(root.root);
    // Computing the day again changes nothing: the root is fixed.
    expect((await roots.compute(DAY)).root).toBe(root.root);
    const [{ n }] = (await dataSource.query('SELECT COUNT(*) AS n FROM daily_root_leaves WHERE day = ?', [DAY])) as Array<{ n: unknown }>;
    expect(Number(n)).toBe(PUBLISHED_ON_DAY + 1);
  });

  it('proves a withdrawn disclosure in both days, and fails for a day that has no root', async () => {
    const proofs = await roots.proofs(withdrawn.id);
    expect(proofs.map((proof) => proof.day)).toEqual([addDays(DAY, -1), DAY]);
    expect(proofs.every((proof) => verifyInclusion(proof.leafHash, proof.index, proof.size, proof.proof, proof.root))).toBe(true);
    await expect(repository.fixedDay('2001-01-01')).rejects.toThrow();
    expect(await roots.root('2001-01-01')).toBeNull();
  });

  it('feeds only decisions still published after the instant given, oldest first, at most as many as asked', async () => {
    const decisions = new PublicDecisionsRepository(dataSource);
    const since = startOfChinaDay(addDays(DAY, -2));
    const fed = await decisions.publishedSince(since, 50);
    expect(fed.map((row) => row.id)).toEqual(onDay.slice(0, 50).map((row) => row.id));
    const after = await decisions.publishedSince(onDay[PUBLISHED_ON_DAY - 2].publishedAt as Date, 50);
    expect(after.map((row) => row.id)).toEqual([onDay[PUBLISHED_ON_DAY - 1].id]);
  });
});
