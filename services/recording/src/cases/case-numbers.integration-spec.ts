import { FieldCipher } from '@enforcement/field-cipher';
import { openDatabase } from '@enforcement/persistence';
import { createTestDatabase, type TestDatabase } from '@enforcement/testing';
import { randomBytes, randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { DataSource } from 'typeorm';
import { GENESIS_HASH } from '../case-core/hash-chain';
import { CasesAndRecords1763700004000 } from '../migrations/1763700004000-cases-and-records';
import { CaseNumberSequences1763700009000 } from '../migrations/1763700009000-case-number-sequences';
import { CaseProcedureStates1763700010000 } from '../migrations/1763700010000-case-procedure-states';
import { CaseCourse1763700013600 } from '../migrations/1763700013600-case-course';
import { YearlyCaseNumbers1763700014000 } from '../migrations/1763700014000-yearly-case-numbers';
import { CaseStateSeal1764100003000 } from '../migrations/1764100003000-case-state-seal';
import { CaseRecordEntity } from '../records/case-record.entity';
import { CaseNumberCounterEntity } from './case-number-counter.entity';
import { CaseNumberFormatEntity } from './case-number-format.entity';
import { CasePartyEntity } from './case-party.entity';
import { CaseStateSeal } from './case-state-seal';
import { CaseEntity } from './case.entity';
import { CaseRepository } from './case.repository';

const ENTITIES = [CaseEntity, CasePartyEntity, CaseRecordEntity, CaseNumberCounterEntity, CaseNumberFormatEntity];
const BEFORE = [
  CasesAndRecords1763700004000,
  CaseNumberSequences1763700009000,
  CaseProcedureStates1763700010000,
  CaseStateSeal1764100003000,
  CaseCourse1763700013600,
];
const AGENCY_A = 'a1b2c3d4-0000-4000-8000-00000000000a';
const AGENCY_B = 'b1b2c3d4-0000-4000-8000-00000000000b';
const TEMPLATE = '沪黄市监处罚〔{year}〕{seq}号';
/** 2026-12-31 23:59:59.999 and 2027-01-01 00:00 in Shanghai. */
const LAST_MOMENT_OF_2026 = new Date('2026-12-31T15:59:59.999Z');
const FIRST_MOMENT_OF_2027 = new Date('2026-12-31T16:00:00.000Z');

/** Case numbers restart each year and follow each agency's pattern; on MariaDB and on SQLite (embedded mode). */
describe.each([
  ['MariaDB', true],
  ['SQLite', false],
])('yearly case numbers on %s', (_dialect, mariadb) => {
  let database: TestDatabase | undefined;
  let dataSource: DataSource;
  let cases: CaseRepository;

  const sqliteFile = path.join(os.tmpdir(), `recording-case-numbers-${randomUUID()}.sqlite`);
  const open = (migrations: Array<new () => object>) => openDatabase({ url: database?.url, sqliteFile, entities: ENTITIES, migrations });

  const insertCase = (agencyId: string, caseNumber: string, openedAt: Date) =>
    dataSource.manager.insert(CaseEntity, {
      id: randomUUID(),
      agencyId,
      caseNumber,
      domain: 'market-regulation',
      regionCode: '310101',
      procedure: 'general',
      status: 'open',
      allegedViolation: '—',
      legalBasis: '—',
      handlingOfficerIds: ['o1', 'o2'],
      requiresCollectiveDecision: false,
      legalReviewStatus: 'not-required',
      openedAt,
      openedBy: 'o1',
      closedAt: null,
      recordCount: 0,
      chainHead: GENESIS_HASH,
    });

  const next = async (agencyId: string, now: Date) => {
    await cases.ensureCaseNumberCounter(agencyId, now);
    return dataSource.transaction((manager) => cases.nextCaseNumber(manager, agencyId, '310101', now));
  };

  beforeAll(async () => {
    database = mariadb ? await createTestDatabase('recording_case_numbers') : undefined;
    // Before the migration: an agency that had given 41 numbers under the one all-time counter.
    const before = await open(BEFORE);
    await before.query('INSERT INTO case_number_sequences (agency_id, last_value) VALUES (?, ?)', [AGENCY_B, 41]);
    await before.destroy();
    dataSource = await open([...BEFORE, YearlyCaseNumbers1763700014000]);
    cases = new CaseRepository(dataSource, new CaseStateSeal(new FieldCipher(randomBytes(32))));
  }, 60_000);

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
    fs.rmSync(sqliteFile, { force: true });
  });

  it("continues an agency's count into this year, in the form its numbers had (the default pattern)", async () => {
    const now = new Date();
    const year = Number(new Intl.DateTimeFormat('en', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(now));

    await expect(next(AGENCY_B, now)).resolves.toBe(`310101-${year}-B1B2C3D400042`);
  });

  it("numbers in the agency's pattern and starts again from 1 on 1 January, Shanghai time", async () => {
    await cases.saveCaseNumberFormat({ agencyId: AGENCY_A, template: TEMPLATE, updatedBy: 'admin', updatedAt: new Date() });

    await expect(next(AGENCY_A, LAST_MOMENT_OF_2026)).resolves.toBe('沪黄市监处罚〔2026〕1号');
    await expect(next(AGENCY_A, LAST_MOMENT_OF_2026)).resolves.toBe('沪黄市监处罚〔2026〕2号');
    await expect(next(AGENCY_A, FIRST_MOMENT_OF_2027)).resolves.toBe('沪黄市监处罚〔2027〕1号');
    await expect(next(AGENCY_A, LAST_MOMENT_OF_2026)).resolves.toBe('沪黄市监处罚〔2026〕3号');
  });

  it('starts a year it has no counter for after the cases the agency already opened that year', async () => {
    const agency = randomUUID();
    await cases.saveCaseNumberFormat({ agencyId: agency, template: TEMPLATE, updatedBy: 'admin', updatedAt: new Date() });
    await insertCase(agency, '沪黄市监处罚〔2028〕1号', new Date('2028-03-01T02:00:00Z'));
    await insertCase(agency, '沪黄市监处罚〔2027〕9号', new Date('2027-12-31T15:00:00Z'));

    await expect(next(agency, new Date('2028-06-01T02:00:00Z'))).resolves.toBe('沪黄市监处罚〔2028〕2号');
  });

  it('lets two agencies give the same number, never one agency twice', async () => {
    await insertCase(AGENCY_A, '罚〔2026〕7号', LAST_MOMENT_OF_2026);
    await insertCase(AGENCY_B, '罚〔2026〕7号', LAST_MOMENT_OF_2026);

    await expect(insertCase(AGENCY_A, '罚〔2026〕7号', LAST_MOMENT_OF_2026)).rejects.toThrow();
  });

  it('goes down to one count per agency (its latest year), once no two agencies share a number, and up again', async () => {
    await expect(dataSource.undoLastMigration()).rejects.toThrow('case number 罚〔2026〕7号 is used by more than one agency');
    await dataSource.query('DELETE FROM cases WHERE agency_id = ? AND case_number = ?', [AGENCY_B, '罚〔2026〕7号']);

    await dataSource.undoLastMigration();
    const rows: Array<{ agency_id: string; last_value: number | string }> = await dataSource.query(
      'SELECT agency_id, last_value FROM case_number_sequences ORDER BY agency_id',
    );
    expect(Number(rows.find((row) => row.agency_id === AGENCY_A)?.last_value)).toBe(1);
    await expect(
      dataSource.query('INSERT INTO case_number_sequences (agency_id, last_value) VALUES (?, ?)', [AGENCY_A, 5]),
    ).rejects.toThrow();

    await dataSource.runMigrations();
    await expect(next(AGENCY_A, FIRST_MOMENT_OF_2027)).resolves.toMatch(/^310101-\d{4}-A1B2C3D4\d{5}$/);
  });
});
