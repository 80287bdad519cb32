import { Module, type DynamicModule } from '@nestjs/common';
import type { AuthenticatedUser } from '@enforcement/auth';
import { EVENT_BACKBONE_ENTITIES, EVENT_BACKBONE_MIGRATIONS } from '@enforcement/events';
import { FieldCipher } from '@enforcement/field-cipher';
import { openDatabase } from '@enforcement/persistence';
import { OBJECT_STORAGE, RuntimeModule, StorageModule, type ServiceContext, type ServiceDefinition } from '@enforcement/service-runtime';
import { startServiceForTest, type ServiceUnderTest } from '@enforcement/service-testing';
import { LocalDiskObjectStorage, MinioObjectStorage, type ObjectStorage } from '@enforcement/storage';
import { useS3, type TestS3 } from '@enforcement/testing';
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pipeline } from 'node:stream/promises';
import request from 'supertest';
import { DataSource } from 'typeorm';
import * as yauzl from 'yauzl';
import { ZipFile } from 'yazl';
import { CaseStateSeal } from '../cases/case-state-seal';
import { CaseEntity } from '../cases/case.entity';
import { verifyArchiveFile } from '../chain/archive-verifier';
import { ChainModule } from '../chain/chain.module';
import { FIXTURE_AGENCY_ID, seedCase, type SeededCase } from '../chain/test-support/case-chain.fixture';
import { runVerifyCli } from '../chain/verify-cli';
import { recordingSettings } from '../config/recording-settings';
import { EvidenceItemEntity } from '../evidence/evidence-item.entity';
import { EvidenceViewEntity } from '../evidence/evidence-view.entity';
import { CasesAndRecords1763700004000 } from '../migrations/1763700004000-cases-and-records';
import { Evidence1763700005000 } from '../migrations/1763700005000-evidence';
import { CaseProcedureStates1763700010000 } from '../migrations/1763700010000-case-procedure-states';
import { EvidenceFixityAndLateFootage1763700016700 } from '../migrations/1763700016700-evidence-fixity-and-late-footage';
import { CaseTraceParent1764100001000 } from '../migrations/1764100001000-case-trace-parent';
import { CaseStateSeal1764100003000 } from '../migrations/1764100003000-case-state-seal';
import { CaseRecordEntity } from '../records/case-record.entity';
import { ARCHIVE_ENTITIES, ARCHIVE_MIGRATIONS, ArchiveModule } from './archive.module';
import { CaseArchiveEntity } from './case-archive.entity';
import { CaseArchiveRepository } from './case-archive.repository';
import { CaseArchiverService } from './case-archiver.service';

const RECORDING_ENTITIES = [CaseEntity, CaseRecordEntity, EvidenceItemEntity, EvidenceViewEntity, ...ARCHIVE_ENTITIES];

/** The case seal under the field key the service (and the verify CLI) keeps in DATA_DIR. */
async function dataDirSeal(dataDir: string): Promise<CaseStateSeal> {
  return new CaseStateSeal(await FieldCipher.fromConfig({ keyFile: path.join(dataDir, 'keys', 'field-encryption.key') }));
}
const RECORDING_MIGRATIONS = [
  CasesAndRecords1763700004000,
  CaseProcedureStates1763700010000,
  CaseTraceParent1764100001000,
  CaseStateSeal1764100003000,
  Evidence1763700005000,
  EvidenceFixityAndLateFootage1763700016700,
  ...ARCHIVE_MIGRATIONS,
];

/** The recording service reduced to what this feature needs, wired as the real app module will be. */
@Module({})
class ArchiveTestAppModule {
  static forRoot(context: ServiceContext): DynamicModule {
    return {
      module: ArchiveTestAppModule,
      imports: [
        RuntimeModule.forRoot({ ...context, entities: RECORDING_ENTITIES, migrations: RECORDING_MIGRATIONS }),
        StorageModule.forRoot(),
        ChainModule,
        ArchiveModule,
      ],
    };
  }
}

const archiveTestService: ServiceDefinition = {
  name: 'recording',
  title: 'Recording service (chain and archive)',
  description: 'test',
  settings: recordingSettings,
  rootModule: (context) => ArchiveTestAppModule.forRoot(context),
};

const officer: AuthenticatedUser = { userId: 'officer-1', agencyId: FIXTURE_AGENCY_ID, roles: ['officer'] };
const otherAgency: AuthenticatedUser = { userId: 'officer-9', agencyId: '9d0f5a52-1f0e-4c36-9b0a-6a7cfb1d0a09', roles: ['officer'] };
const supervisor: AuthenticatedUser = {
  userId: 'sup-1',
  agencyId: '5e0f5a52-1f0e-4c36-9b0a-6a7cfb1d0a05',
  roles: ['supervisor'],
  supervisedRegionCode: '310000',
};

interface ZipEntries {
  names: string[];
  files: Map<string, Buffer>;
}

async function readZip(file: string): Promise<ZipEntries> {
  const zip = await yauzl.openPromise(file, { lazyEntries: true });
  const files = new Map<string, Buffer>();
  const names: string[] = [];
  for await (const entry of zip.eachEntry()) {
    const chunks: Buffer[] = [];
    for await (const chunk of await zip.openReadStreamPromise(entry)) chunks.push(chunk as Buffer);
    names.push(entry.fileName);
    files.set(entry.fileName, Buffer.concat(chunks));
  }
  zip.close();
  return { names, files };
}

/** Rebuilds a ZIP entry by entry (a forger's tool), letting `change` alter any file's bytes. */
async function rebuildZip(source: string, target: string, change: (name: string, bytes: Buffer) => Buffer | undefined): Promise<void> {
  const { names, files } = await readZip(source);
  const zip = new ZipFile();
  for (const name of names) {
    const bytes = change(name, Buffer.from(files.get(name) ?? Buffer.alloc(0)));
    if (bytes) zip.addBuffer(bytes, name);
  }
  zip.end();
  await pipeline(zip.outputStream, createWriteStream(target));
}

describe('case archives', () => {
  let sut: ServiceUnderTest;
  let dataSource: DataSource;
  let storage: ObjectStorage;
  let archiver: CaseArchiverService;
  let workDir: string;
  let seeded: SeededCase;
  const videos = [Buffer.from('视频一'.repeat(5000)), Buffer.from('video two '.repeat(3000))];

  const auth = async (user: AuthenticatedUser) => `Bearer ${await sut.tokenFor(user)}`;
  const cli = async (args: string[], env: Record<string, string> = {}) => {
    const out: string[] = [];
    const code = await runVerifyCli(args, env, { stdout: (text) => out.push(text), stderr: (text) => out.push(text) });
    return { code, text: out.join('') };
  };
  const download = async (caseId: string, file: string): Promise<string> => {
    const response = await request(sut.app.getHttpServer())
      .get(`/cases/${caseId}/archive`)
      .query({ purpose: '行政复议答复材料' })
      .set('Authorization', await auth(officer))
      .buffer(true)
      .parse((res, callback) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => callback(null, Buffer.concat(chunks)));
      })
      .expect(200);
    const body = response.body as Buffer;
    expect(response.headers['content-type']).toBe('application/zip');
    expect(response.headers['x-archive-sha256']).toBe(createHash('sha256').update(body).digest('hex'));
    const target = path.join(workDir, file);
    await writeFile(target, body);
    return target;
  };

  beforeAll(async () => {
    sut = await startServiceForTest(archiveTestService, { LOG_LEVEL: 'silent' });
    dataSource = sut.app.get(DataSource);
    storage = sut.app.get<ObjectStorage>(OBJECT_STORAGE);
    archiver = sut.app.get(CaseArchiverService);
    workDir = await mkdtemp(path.join(tmpdir(), 'case-archive-'));
    seeded = await seedCase(dataSource, storage, {
      seal: sut.app.get(CaseStateSeal),
      close: true,
      evidence: videos.map((bytes) => ({ bytes })),
    });
  });

  afterAll(async () => {
    await sut?.close();
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  it('answers ARCHIVE_NOT_FOUND before the case is archived', async () => {
    const response = await request(sut.app.getHttpServer())
      .get(`/cases/${seeded.caseRow.id}/archive`)
      .query({ purpose: '行政复议答复材料' })
      .set('Authorization', await auth(officer))
      .expect(404);
    expect(response.body.code).toBe('ARCHIVE_NOT_FOUND');
  });

  it('archives a closed case into immutable object storage and records it', async () => {
    const result = await archiver.archive(seeded.caseRow.id);

    expect(result.objectKey).toMatch(new RegExp(`^cases/${seeded.caseRow.id}/archive/\\d{8}T\\d{9}Z\\.zip$`));
    expect(await storage.sha256Of(result.objectKey)).toBe(result.sha256);
    expect((await storage.stat(result.objectKey)).size).toBe(result.sizeBytes);
    const row = await dataSource.manager.findOneByOrFail(CaseArchiveEntity, { objectKey: result.objectKey });
    expect(row).toMatchObject({ caseId: seeded.caseRow.id, sha256: result.sha256, recordCount: 5, evidenceIncluded: true });
    expect(Number(row.sizeBytes)).toBe(result.sizeBytes);
    expect(row.chainHead).toBe(seeded.records[4].hash);
  });

  it('serves the latest archive, which verifies offline as intact with every evidence file re-hashed', async () => {
    const file = await download(seeded.caseRow.id, 'intact.zip');

    const report = await verifyArchiveFile(file);
    expect(report).toMatchObject({
      intact: true,
      records: 5,
      evidence: 2,
      evidenceNotIncluded: 0,
      caseId: seeded.caseRow.id,
      caseNumber: seeded.caseRow.caseNumber,
      chainHead: seeded.records[4].hash,
    });
    const { code, text } = await cli(['--archive', file]);
    expect(code).toBe(0);
    expect(text).toContain('完整 / INTACT');
  });

  it('holds the case index without party data, every record, the chain, the manifest and a bilingual README', async () => {
    const file = await download(seeded.caseRow.id, 'contents.zip');
    const { names, files } = await readZip(file);

    expect(names).toEqual([
      'README.txt',
      'case.json',
      'chain.json',
      'evidence-manifest.json',
      'records.jsonl',
      ...seeded.evidence.map((item) => `evidence/${item.id}`),
    ]);
    const caseIndex = JSON.parse(files.get('case.json')?.toString('utf8') ?? '');
    expect(caseIndex).toMatchObject({ caseId: seeded.caseRow.id, recordCount: 5, status: 'closed', agencyId: FIXTURE_AGENCY_ID });
    expect(caseIndex.contents).toHaveLength(5);
    expect(Object.keys(caseIndex)).not.toEqual(expect.arrayContaining(['party', 'allegedViolation']));
    const lines = files.get('records.jsonl')?.toString('utf8').trim().split('\n') ?? [];
    expect(lines).toHaveLength(5);
    // The content is written byte for byte as it was hashed: anyone can check a line with sha256sum alone.
    const [firstLine] = lines;
    const contentBytes = firstLine.slice(firstLine.indexOf('"content":') + '"content":'.length, -1);
    expect(createHash('sha256').update(contentBytes).digest('hex')).toBe(seeded.records[0].hash);
    expect(files.get(`evidence/${seeded.evidence[1].id}`)?.equals(videos[1])).toBe(true);
    const manifest = JSON.parse(files.get('evidence-manifest.json')?.toString('utf8') ?? '');
    expect(manifest.items[0]).toMatchObject({
      evidenceId: seeded.evidence[0].id,
      sha256: seeded.evidence[0].sha256,
      sizeBytes: videos[0].length,
      mediaType: 'video/mp4',
      sealRecordId: seeded.evidence[0].sealRecordId,
    });
    const readme = files.get('README.txt')?.toString('utf8') ?? '';
    expect(readme).toContain('npm run verify -- --archive');
    expect(readme).toContain('如何校验');
  });

  it('detects one byte changed in records.jsonl at that record', async () => {
    const original = await download(seeded.caseRow.id, 'to-tamper.zip');
    const tampered = path.join(workDir, 'tampered-record.zip');
    await rebuildZip(original, tampered, (name, bytes) => {
      if (name !== 'records.jsonl') return bytes;
      const lines = bytes.toString('utf8').split('\n');
      // "罚款 200 元" becomes "罚款 300 元" in the fourth record: one byte.
      lines[3] = lines[3].replace('罚款 200 元', '罚款 300 元');
      return Buffer.from(lines.join('\n'), 'utf8');
    });

    const report = await verifyArchiveFile(tampered);
    expect(report.firstBroken).toMatchObject({ reason: 'content-hash-mismatch', sequence: 4, recordId: seeded.records[3].id });
    const { code, text } = await cli(['--archive', tampered]);
    expect(code).toBe(1);
    expect(text).toContain('已被篡改或损坏 / BROKEN');
  });

  it('detects a record line made unparsable, an evidence file changed, a file added and chain.json edited', async () => {
    const original = await download(seeded.caseRow.id, 'to-tamper-2.zip');
    const variant = async (name: string, change: (entry: string, bytes: Buffer) => Buffer | undefined) => {
      const target = path.join(workDir, name);
      await rebuildZip(original, target, change);
      return verifyArchiveFile(target);
    };

    const unparsable = await variant('unparsable.zip', (entry, bytes) =>
      entry === 'records.jsonl' ? Buffer.from(bytes.toString('utf8').replace('"sequence":2', '"sequence":2,,')) : bytes,
    );
    expect(unparsable.firstBroken).toMatchObject({ reason: 'content-hash-mismatch', sequence: 2 });

    const evidenceId = seeded.evidence[0].id;
    const video = await variant('video.zip', (entry, bytes) => {
      if (entry !== `evidence/${evidenceId}`) return bytes;
      bytes[0] ^= 0x01;
      return bytes;
    });
    expect(video.firstBroken).toMatchObject({ reason: 'evidence-digest-mismatch', evidenceId, expected: seeded.evidence[0].sha256 });

    const dropped = await variant('dropped.zip', (entry, bytes) => (entry === `evidence/${evidenceId}` ? undefined : bytes));
    expect(dropped.firstBroken).toMatchObject({ reason: 'evidence-missing', evidenceId });

    const chainFile = await variant('chain.zip', (entry, bytes) => {
      if (entry !== 'chain.json') return bytes;
      const chain = JSON.parse(bytes.toString('utf8'));
      chain.links[1].hash = 'e'.repeat(64);
      return Buffer.from(JSON.stringify(chain));
    });
    expect(chainFile.firstBroken).toMatchObject({ reason: 'chain-file-mismatch', sequence: 2, entry: 'chain.json' });

    const target = path.join(workDir, 'added.zip');
    await rebuildZip(original, target, (_entry, bytes) => bytes);
    const withExtra = path.join(workDir, 'added-2.zip');
    const { names, files } = await readZip(target);
    const zip = new ZipFile();
    for (const name of names) zip.addBuffer(files.get(name) ?? Buffer.alloc(0), name);
    zip.addBuffer(Buffer.from('当事人已认错'), 'notes.txt');
    zip.end();
    await pipeline(zip.outputStream, createWriteStream(withExtra));
    expect((await verifyArchiveFile(withExtra)).firstBroken).toMatchObject({ reason: 'archive-malformed', entry: 'notes.txt' });
  });

  it('makes an archive without evidence bytes on request; offline verify checks the chain and says so', async () => {
    const result = await archiver.archive(seeded.caseRow.id, { includeEvidence: false });
    const file = await download(seeded.caseRow.id, 'no-evidence.zip');

    expect(
      createHash('sha256')
        .update(await readFile(file))
        .digest('hex'),
    ).toBe(result.sha256);
    expect((await readZip(file)).names.some((name) => name.startsWith('evidence/'))).toBe(false);
    const report = await verifyArchiveFile(file);
    expect(report).toMatchObject({ intact: true, evidence: 2, evidenceNotIncluded: 2, evidenceIncluded: false });
    const { code, text } = await cli(['--archive', file]);
    expect(code).toBe(0);
    expect(text).toContain('2 not included in the archive');
  });

  it('makes a new archive on every call, and the latest is the one served', async () => {
    const first = await archiver.latest(seeded.caseRow.id);
    const again = await archiver.archive(seeded.caseRow.id);
    const latest = await archiver.latest(seeded.caseRow.id);

    expect(again.objectKey).not.toBe(first?.objectKey);
    expect(latest?.objectKey).toBe(again.objectKey);
    expect(await dataSource.manager.countBy(CaseArchiveEntity, { caseId: seeded.caseRow.id })).toBe(3);
  });

  it('lets readers of the case verify it and fetch its archive, and nobody else', async () => {
    const server = sut.app.getHttpServer();
    const verification = await request(server)
      .get(`/cases/${seeded.caseRow.id}/verification`)
      .set('Authorization', await auth(supervisor))
      .expect(200);
    expect(verification.body).toMatchObject({ intact: true, records: 5, evidence: 2, caseId: seeded.caseRow.id });

    for (const url of [`/cases/${seeded.caseRow.id}/verification`, `/cases/${seeded.caseRow.id}/archive`]) {
      const refused = await request(server)
        .get(url)
        .set('Authorization', await auth(otherAgency))
        .expect(403);
      expect(refused.body.code).toBe('CASE_SCOPE');
      await request(server).get(url).expect(401);
    }
    await request(server)
      .get(`/cases/${seeded.caseRow.id}/archive`)
      .query({ purpose: '执法监督抽查' })
      .set('Authorization', await auth(supervisor))
      .expect(200);
  });

  it('treats an archive download as an export of its evidence: a stated purpose, and a viewing-log row per evidence item', async () => {
    const server = sut.app.getHttpServer();
    const before = await dataSource.manager.count(EvidenceViewEntity, { where: { caseId: seeded.caseRow.id, kind: 'archive-export' } });

    const refused = await request(server)
      .get(`/cases/${seeded.caseRow.id}/archive`)
      .set('Authorization', await auth(officer))
      .expect(400);
    expect(refused.body.code).toBe('PURPOSE_REQUIRED');
    expect(await dataSource.manager.count(EvidenceViewEntity, { where: { caseId: seeded.caseRow.id, kind: 'archive-export' } })).toBe(
      before,
    );

    await request(server)
      .get(`/cases/${seeded.caseRow.id}/archive`)
      .query({ purpose: '移送司法机关' })
      .set('Authorization', await auth(officer))
      .expect(200);

    const logged = await dataSource.manager.find(EvidenceViewEntity, {
      where: { caseId: seeded.caseRow.id, kind: 'archive-export', purpose: '移送司法机关' },
    });
    expect(logged.map((view) => view.evidenceId).sort()).toEqual(seeded.evidence.map((item) => item.id).sort());
    expect(logged.every((view) => view.userId === officer.userId && view.agencyId === seeded.caseRow.agencyId)).toBe(true);
  });

  it('reports tampering through the endpoint after a row is changed with SQL', async () => {
    const other = await seedCase(dataSource, storage, { seal: sut.app.get(CaseStateSeal) });
    await dataSource.query('UPDATE case_records SET place = ? WHERE case_id = ? AND sequence = 2', ['别处', other.caseRow.id]);

    const response = await request(sut.app.getHttpServer())
      .get(`/cases/${other.caseRow.id}/verification`)
      .set('Authorization', await auth(officer))
      .expect(200);

    expect(response.body).toMatchObject({ intact: false, firstBroken: { reason: 'content-hash-mismatch', sequence: 2 } });
  });

  it('exits 2 on usage errors and 1 on a file that is not a ZIP', async () => {
    expect((await cli([])).code).toBe(2);
    expect((await cli(['--archive'])).code).toBe(2);
    expect((await cli(['--archive', 'a.zip', '--case', 'x'])).code).toBe(2);
    expect((await cli(['--archive', path.join(workDir, 'no-such.zip')])).code).toBe(2);
    const notZip = path.join(workDir, 'not-a.zip');
    await writeFile(notZip, 'this is not a zip');
    const { code, text } = await cli(['--archive', notZip]);
    expect(code).toBe(1);
    expect(text).toContain('archive-malformed');
  });
});

/** Embedded mode: SQLite under DATA_DIR and local disk, archived and verified live by the CLI. */
describe('case archives on SQLite (embedded mode)', () => {
  let dataDir: string;
  let dataSource: DataSource;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'recording-embedded-'));
    dataSource = await openDatabase({
      sqliteFile: path.join(dataDir, 'recording.sqlite'),
      entities: [...EVENT_BACKBONE_ENTITIES, ...RECORDING_ENTITIES],
      migrations: [...EVENT_BACKBONE_MIGRATIONS, ...RECORDING_MIGRATIONS],
    });
  });

  afterAll(async () => {
    await dataSource?.destroy();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('round-trips an archive and verifies the case live from DATA_DIR', async () => {
    const storage = new LocalDiskObjectStorage({ root: path.join(dataDir, 'objects') });
    await storage.ensureBucket();
    const seeded = await seedCase(dataSource, storage, {
      seal: await dataDirSeal(dataDir),
      evidence: [{ bytes: Buffer.from('embedded video') }],
    });
    const archiver = new CaseArchiverService(new CaseArchiveRepository(dataSource), storage);

    const result = await archiver.archive(seeded.caseRow.id);
    const file = path.join(dataDir, 'archive.zip');
    await pipeline(await storage.getStream(result.objectKey), createWriteStream(file));

    expect(await verifyArchiveFile(file)).toMatchObject({ intact: true, records: 4, evidence: 1 });
    const out: string[] = [];
    const io = { stdout: (text: string) => out.push(text), stderr: (text: string) => out.push(text) };
    expect(await runVerifyCli(['--case', seeded.caseRow.id], { DATA_DIR: dataDir }, io)).toBe(0);
    await dataSource.query('UPDATE case_records SET text = ? WHERE case_id = ? AND sequence = 1', ['改过的', seeded.caseRow.id]);
    expect(await runVerifyCli(['--case', seeded.caseRow.id, '--json'], { DATA_DIR: dataDir }, io)).toBe(1);
    expect(JSON.parse(out.at(-1) ?? '{}').firstBroken).toMatchObject({ reason: 'content-hash-mismatch', sequence: 1 });
  });
  it('refuses to archive a case whose evidence object is gone, leaving neither object nor row', async () => {
    const storage = new LocalDiskObjectStorage({ root: path.join(dataDir, 'objects') });
    const seeded = await seedCase(dataSource, storage, { evidence: [{ bytes: Buffer.from('to be lost') }] });
    await unlink(path.join(dataDir, 'objects', 'objects', ...seeded.evidence[0].objectKey.split('/')));

    await expect(new CaseArchiverService(new CaseArchiveRepository(dataSource), storage).archive(seeded.caseRow.id)).rejects.toMatchObject({
      code: 'OBJECT_NOT_FOUND',
    });

    expect(await dataSource.manager.countBy(CaseArchiveEntity, { caseId: seeded.caseRow.id })).toBe(0);
    await expect(readdir(path.join(dataDir, 'objects', 'objects', 'cases', seeded.caseRow.id))).resolves.toEqual(['evidence']);
  });
});

/** Distributed-mode storage: the ZIP goes up in several multipart parts; the CLI finds it through MINIO_*. */
describe('case archives on S3', () => {
  let s3: TestS3;
  let dataDir: string;
  let dataSource: DataSource;

  beforeAll(async () => {
    s3 = await useS3();
    dataDir = await mkdtemp(path.join(tmpdir(), 'recording-s3-'));
    dataSource = await openDatabase({
      sqliteFile: path.join(dataDir, 'recording.sqlite'),
      entities: [...EVENT_BACKBONE_ENTITIES, ...RECORDING_ENTITIES],
      migrations: [...EVENT_BACKBONE_MIGRATIONS, ...RECORDING_MIGRATIONS],
    });
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await s3?.release();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('streams a multi-part archive to S3 that verifies offline, and verifies the case live', async () => {
    const storage = new MinioObjectStorage({
      endPoint: s3.host,
      port: s3.port,
      useSSL: false,
      accessKey: s3.accessKey,
      secretKey: s3.secretKey,
      bucket: s3.bucket,
    });
    // Random bytes do not deflate: the ZIP is as large as the video, i.e. several 8 MiB parts.
    const video = randomBytes(20 * 1024 * 1024);
    const seeded = await seedCase(dataSource, storage, { seal: await dataDirSeal(dataDir), evidence: [{ bytes: video }] });

    const result = await new CaseArchiverService(new CaseArchiveRepository(dataSource), storage).archive(seeded.caseRow.id);

    expect(result.sizeBytes).toBeGreaterThan(video.length);
    const file = path.join(dataDir, 'archive.zip');
    await pipeline(await storage.getStream(result.objectKey), createWriteStream(file));
    expect(await verifyArchiveFile(file)).toMatchObject({ intact: true, records: 4, evidence: 1, archiveSha256: result.sha256 });
    const env = {
      DATA_DIR: dataDir,
      MINIO_ENDPOINT: s3.host,
      MINIO_PORT: String(s3.port),
      MINIO_ACCESS_KEY: s3.accessKey,
      MINIO_SECRET_KEY: s3.secretKey,
      MINIO_BUCKET: s3.bucket,
    };
    const io = { stdout: () => undefined, stderr: () => undefined };
    expect(await runVerifyCli(['--case', seeded.caseRow.id], env, io)).toBe(0);
  });
});
