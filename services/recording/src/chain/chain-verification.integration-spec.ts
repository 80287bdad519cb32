import { EVENT_BACKBONE_ENTITIES, EVENT_BACKBONE_MIGRATIONS } from '@enforcement/events';
import { FieldCipher } from '@enforcement/field-cipher';
import { openDatabase } from '@enforcement/persistence';
import { LocalDiskObjectStorage } from '@enforcement/storage';
import { createTestDatabase, type TestDatabase } from '@enforcement/testing';
import { createHash } from 'node:crypto';
import { chmod, mkdtemp, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { DataSource } from 'typeorm';
import { CaseStateSeal } from '../cases/case-state-seal';
import { CaseEntity } from '../cases/case.entity';
import { EvidenceItemEntity } from '../evidence/evidence-item.entity';
import { CasesAndRecords1763700004000 } from '../migrations/1763700004000-cases-and-records';
import { Evidence1763700005000 } from '../migrations/1763700005000-evidence';
import { CaseProcedureStates1763700010000 } from '../migrations/1763700010000-case-procedure-states';
import { EvidenceFixityAndLateFootage1763700016700 } from '../migrations/1763700016700-evidence-fixity-and-late-footage';
import { CaseTraceParent1764100001000 } from '../migrations/1764100001000-case-trace-parent';
import { CaseStateSeal1764100003000 } from '../migrations/1764100003000-case-state-seal';
import { CaseRecordEntity } from '../records/case-record.entity';
import { ChainSnapshotRepository } from './chain-snapshot.repository';
import { ChainVerificationService } from './chain-verification.service';
import { seedCase } from './test-support/case-chain.fixture';
import { runVerifyCli } from './verify-cli';

/**
 * The "done when": changing a record row or an evidence object behind the service's back (SQL
 * and the filesystem, not the service) is detected by verify, through the service and through the CLI.
 */
describe('chain verification against MariaDB and local-disk storage', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let dataDir: string;
  let storage: LocalDiskObjectStorage;
  let sut: ChainVerificationService;
  let seal: CaseStateSeal;

  const video = Buffer.from('执法记录仪视频'.repeat(1000));

  beforeAll(async () => {
    database = await createTestDatabase('recording_chain');
    dataSource = await openDatabase({
      url: database.url,
      sqliteFile: '',
      entities: [...EVENT_BACKBONE_ENTITIES, CaseEntity, CaseRecordEntity, EvidenceItemEntity],
      migrations: [
        ...EVENT_BACKBONE_MIGRATIONS,
        CasesAndRecords1763700004000,
        CaseProcedureStates1763700010000,
        CaseTraceParent1764100001000,
        CaseStateSeal1764100003000,
        Evidence1763700005000,
        EvidenceFixityAndLateFootage1763700016700,
      ],
    });
    dataDir = await mkdtemp(path.join(tmpdir(), 'recording-chain-'));
    // Where the service puts objects when DATA_DIR is set and MinIO is not, so the CLI finds them too.
    storage = new LocalDiskObjectStorage({ root: path.join(dataDir, 'objects') });
    await storage.ensureBucket();
    // Sealed under the key the service (and the CLI) keeps in DATA_DIR, so both check the fixture's seals.
    seal = new CaseStateSeal(await FieldCipher.fromConfig({ keyFile: path.join(dataDir, 'keys', 'field-encryption.key') }));
    sut = new ChainVerificationService(new ChainSnapshotRepository(dataSource), storage, seal);
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  // LocalDiskObjectStorage keeps object bytes under <root>/objects/<key>.
  const objectFile = (objectKey: string): string => path.join(dataDir, 'objects', 'objects', ...objectKey.split('/'));
  const cli = async (args: string[]) => {
    const out: string[] = [];
    const code = await runVerifyCli(
      args,
      { DATABASE_URL: database.url, DATA_DIR: dataDir },
      {
        stdout: (text) => out.push(text),
        stderr: (text) => out.push(text),
      },
    );
    return { code, text: out.join('') };
  };

  it('finds a case written by the service intact, evidence re-hashed', async () => {
    const seeded = await seedCase(dataSource, storage, { seal, evidence: [{ bytes: video }] });

    const report = await sut.verify(seeded.caseRow.id);

    expect(report).toMatchObject({ intact: true, records: 4, evidence: 1, caseId: seeded.caseRow.id, chainHead: seeded.records[3].hash });
    expect(report.firstBroken).toBeUndefined();
    const { code, text } = await cli(['--case', seeded.caseRow.id]);
    expect(code).toBe(0);
    expect(text).toContain('完整 / INTACT');
  });

  it('detects a record row whose text was changed with SQL at that sequence', async () => {
    const seeded = await seedCase(dataSource, storage, { seal, evidence: [{ bytes: video }] });
    const target = seeded.records[2];

    await dataSource.query('UPDATE case_records SET text = ? WHERE case_id = ? AND sequence = ?', [
      '告知：拟处罚款 20 元。',
      seeded.caseRow.id,
      3,
    ]);

    const report = await sut.verify(seeded.caseRow.id);
    expect(report.intact).toBe(false);
    expect(report.firstBroken).toMatchObject({ reason: 'content-hash-mismatch', sequence: 3, recordId: target.id, expected: target.hash });
    const { code, text } = await cli(['--case', seeded.caseRow.id]);
    expect(code).toBe(1);
    expect(text).toContain('第 3 条记录 record #3');
    expect(text).toContain('content-hash-mismatch');
  });

  it('detects a record row edited into unparsable JSON without failing itself', async () => {
    const seeded = await seedCase(dataSource, storage, { seal });
    await dataSource.query('UPDATE case_records SET fields = ? WHERE case_id = ? AND sequence = 2', ['{"note": "现场', seeded.caseRow.id]);

    const report = await sut.verify(seeded.caseRow.id);

    expect(report.firstBroken).toMatchObject({ reason: 'content-hash-mismatch', sequence: 2, detail: 'unreadable column fields' });
  });

  it('detects a rewritten, re-hashed record at the next link, and a deleted last record at the case row', async () => {
    const seeded = await seedCase(dataSource, storage, { seal });
    await dataSource.query('UPDATE case_records SET hash = ? WHERE case_id = ? AND sequence = 1', ['f'.repeat(64), seeded.caseRow.id]);
    expect((await sut.verify(seeded.caseRow.id)).firstBroken).toMatchObject({ reason: 'content-hash-mismatch', sequence: 1 });

    const other = await seedCase(dataSource, storage, { seal });
    await dataSource.query('DELETE FROM case_records WHERE case_id = ? AND sequence = 3', [other.caseRow.id]);
    expect((await sut.verify(other.caseRow.id)).firstBroken).toMatchObject({ reason: 'chain-head-mismatch', detail: 'record count' });
  });

  it("detects a case row's status edited behind the service's back, through the service and through the CLI (issue #11)", async () => {
    const seeded = await seedCase(dataSource, storage, { seal });
    expect(await sut.verify(seeded.caseRow.id)).toMatchObject({ intact: true });
    expect((await cli(['--case', seeded.caseRow.id])).code).toBe(0);

    // Undone: the decision recorded, the row says open again, as if no decision had been taken.
    await dataSource.query('UPDATE cases SET status = ? WHERE id = ?', ['open', seeded.caseRow.id]);
    expect((await sut.verify(seeded.caseRow.id)).firstBroken).toMatchObject({
      reason: 'case-state-mismatch',
      detail: 'status',
      expected: 'decided',
      actual: 'open',
    });
    const { code, text } = await cli(['--case', seeded.caseRow.id]);
    expect(code).toBe(1);
    expect(text).toContain('case-state-mismatch: status');

    // A flag the records do not decide is covered by the seal.
    await dataSource.query('UPDATE cases SET status = ?, requires_collective_decision = ? WHERE id = ?', ['decided', 1, seeded.caseRow.id]);
    expect((await sut.verify(seeded.caseRow.id)).firstBroken).toMatchObject({ reason: 'case-state-mismatch', detail: 'state seal' });
  });

  it('detects an evidence object whose bytes were replaced on disk, as an attacker with shell access would', async () => {
    const seeded = await seedCase(dataSource, storage, { seal, evidence: [{ bytes: video }] });
    const [item] = seeded.evidence;
    const file = objectFile(item.objectKey);
    const forged = Buffer.from(video);
    forged[10] ^= 0xff;

    // Stored originals are read-only (0444); the attacker makes the file writable first.
    await chmod(file, 0o644);
    await writeFile(file, forged);

    const report = await sut.verify(seeded.caseRow.id);
    expect(report.firstBroken).toEqual({
      reason: 'evidence-digest-mismatch',
      evidenceId: item.id,
      sequence: 2,
      recordId: item.sealRecordId,
      expected: item.sha256,
      actual: createHash('sha256').update(forged).digest('hex'),
      detail: 'stored object',
    });
    const { code, text } = await cli(['--case', seeded.caseRow.id]);
    expect(code).toBe(1);
    expect(text).toContain('evidence-digest-mismatch');
  });

  it('detects an evidence row whose digest was changed to match replaced bytes', async () => {
    const seeded = await seedCase(dataSource, storage, { seal, evidence: [{ bytes: video }] });
    const [item] = seeded.evidence;
    await dataSource.query('UPDATE evidence_items SET sha256 = ? WHERE id = ?', ['a'.repeat(64), item.id]);

    const report = await sut.verify(seeded.caseRow.id);

    expect(report.firstBroken).toMatchObject({ reason: 'evidence-digest-mismatch', evidenceId: item.id, detail: 'evidence row digest' });
  });

  it('detects an evidence object deleted from storage', async () => {
    const seeded = await seedCase(dataSource, storage, { seal, evidence: [{ bytes: video }] });
    await unlink(objectFile(seeded.evidence[0].objectKey));

    const report = await sut.verify(seeded.caseRow.id);

    expect(report.firstBroken).toMatchObject({ reason: 'evidence-missing', evidenceId: seeded.evidence[0].id });
  });

  it('answers CASE_NOT_FOUND for an unknown case, and the CLI exits 2', async () => {
    await expect(sut.verify('00000000-0000-4000-8000-000000000000')).rejects.toMatchObject({ code: 'CASE_NOT_FOUND' });
    expect((await cli(['--case', '00000000-0000-4000-8000-000000000000'])).code).toBe(2);
  });
});
