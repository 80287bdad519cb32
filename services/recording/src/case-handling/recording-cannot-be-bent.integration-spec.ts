import type { AuthenticatedUser } from '@enforcement/auth';
import { CertificateDirectoryService, KnownCertificateEntity } from '@enforcement/certificates';
import { startServiceForTest, type ServiceUnderTest } from '@enforcement/service-testing';
import { eventually } from '@enforcement/testing';
import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pipeline } from 'node:stream/promises';
import request from 'supertest';
import { DataSource } from 'typeorm';
import * as yauzl from 'yauzl';
import { ZipFile } from 'yazl';
import { verifyArchiveFile } from '../chain/archive-verifier';
import { recordingService } from '../service';
import { writeDecision } from './test-support/case-fixtures';

/** Copies a ZIP entry by entry, letting `change` rewrite an entry's bytes (a forger's tool). */
async function rewriteZip(source: string, target: string, change: (name: string, bytes: Buffer) => Buffer): Promise<void> {
  const zip = await yauzl.openPromise(source, { lazyEntries: true });
  const out = new ZipFile();
  for await (const entry of zip.eachEntry()) {
    const chunks: Buffer[] = [];
    for await (const chunk of await zip.openReadStreamPromise(entry)) chunks.push(chunk as Buffer);
    out.addBuffer(change(entry.fileName, Buffer.concat(chunks)), entry.fileName);
  }
  zip.close();
  out.end();
  await pipeline(out.outputStream, createWriteStream(target));
}

const AGENCY = randomUUID();
const officerA: AuthenticatedUser = { userId: randomUUID(), agencyId: AGENCY, roles: ['officer'] };
const officerB: AuthenticatedUser = { userId: randomUUID(), agencyId: AGENCY, roles: ['officer'] };
const agencyAdmin: AuthenticatedUser = { userId: randomUUID(), agencyId: AGENCY, roles: ['agency-admin'] };

/**
 * Issue #10 ("Recording that cannot be bent") over HTTP on MariaDB, the whole recording service: each way around
 * the rules of Art. 47, 48 and 60 is tried and refused with its code. The decision a test needs is written as the
 * service writes it (aggregate, appender, events) rather than posted: the rules before a decision are another
 * issue's, and not what these tests are about.
 */
describe('recording that cannot be bent (HTTP)', () => {
  let sut: ServiceUnderTest;
  let dataSource: DataSource;
  let workDir: string;

  const auth = async (user: AuthenticatedUser) => `Bearer ${await sut.tokenFor(user)}`;
  /** Officer B confirms with a token of their own wherever named (Art. 42); the proof is ignored where not. */
  const post = async (url: string, body: object, user = officerA) =>
    request(sut.app.getHttpServer())
      .post(url)
      .set('Authorization', await auth(user))
      .set(await sut.coOfficerProofs(officerB))
      .send(body);
  const get = async (url: string, user = officerA) =>
    request(sut.app.getHttpServer())
      .get(url)
      .set('Authorization', await auth(user));
  const step = (caseId: string, body: Record<string, unknown>) =>
    post(`/cases/${caseId}/steps`, {
      place: '上海市黄浦区南京东路1号',
      coOfficerIds: [officerB.userId],
      occurredAt: new Date().toISOString(),
      ...body,
    });
  const deadline = async (caseId: string, kind: string) =>
    ((await get(`/cases/${caseId}/deadlines`)).body as Array<{ kind: string }>).find((found) => found.kind === kind) as
      Record<string, unknown> | undefined;

  async function openCase(procedure: 'simplified' | 'general' = 'general'): Promise<string> {
    const opened = await post('/cases', {
      domain: 'market-regulation',
      regionCode: '310101',
      procedure,
      party: { kind: 'natural-person', name: '张某', identifier: '11010519491231002X', contact: {} },
      allegedViolation: '销售过期食品',
      legalBasis: '《中华人民共和国食品安全法》第一百二十四条',
      coOfficerIds: [officerB.userId],
    });
    expect(opened.status).toBe(201);
    return opened.body.id as string;
  }

  const decide = (caseId: string, fields: Record<string, unknown>): Promise<string> =>
    writeDecision(sut.app, caseId, { recordedBy: officerA.userId, actingOfficerIds: [officerA.userId, officerB.userId] }, fields);

  const fine = (amountFen: number) => ({ penalties: [{ kind: 'fine', amountFen }] });

  beforeAll(async () => {
    sut = await startServiceForTest(recordingService, { LOG_LEVEL: 'silent' });
    dataSource = sut.app.get(DataSource);
    workDir = await mkdtemp(path.join(tmpdir(), 'cannot-be-bent-'));
    const now = new Date();
    for (const officer of [officerA, officerB]) {
      await dataSource.manager.insert(KnownCertificateEntity, {
        id: randomUUID(),
        number: `No.${officer.userId.slice(0, 8)}`,
        officerId: officer.userId,
        agencyId: AGENCY,
        status: 'active',
        domains: ['market-regulation'],
        regionCodes: ['310000'],
        validFrom: new Date('2024-12-31T16:00:00Z'),
        validUntil: new Date(now.getTime() + 365 * 24 * 3600_000),
        termsEventAt: now,
        statusEventAt: now,
        version: 1,
        updatedAt: now,
      });
    }
    await sut.app.get(CertificateDirectoryService, { strict: false }).pollNow();
  }, 120_000);

  afterAll(async () => {
    await sut?.close();
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  describe('a decision changes by one path only (Art. 48)', () => {
    let caseId: string;
    let decisionId: string;

    beforeAll(async () => {
      caseId = await openCase();
      decisionId = await decide(caseId, { ...fine(300_000), partyPresent: false });
    });

    it('refuses a decision-alteration posted as an ordinary step', async () => {
      const response = await step(caseId, { stepType: 'decision-alteration', fields: { kind: 'revoked' }, text: '撤销' });
      expect([response.status, response.body.code]).toEqual([422, 'DECISION_ALTERATION_PATH']);
    });

    it('refuses an "other" step that restates the decision, and one that names its number', async () => {
      const restated = await step(caseId, { stepType: 'other', fields: fine(100_000), text: '罚款改为一千元' });
      expect([restated.status, restated.body.code]).toEqual([422, 'DECISION_RESTATEMENT_NOT_ALLOWED']);
      expect(restated.body.details).toMatchObject({ article: '《行政处罚法》第四十八条', fields: ['penalties'] });
      const renumbered = await step(caseId, { stepType: 'other', fields: { decisionNumber: '沪黄市监罚〔2026〕999号' } });
      expect(renumbered.body.code).toBe('DECISION_RESTATEMENT_NOT_ALLOWED');
    });

    it('refuses a correction pointing at the decision record, and takes one pointing at another record', async () => {
      const corrected = await step(caseId, { stepType: 'correction', correctsRecordId: decisionId, text: '决定书数额更正为一千元' });
      expect([corrected.status, corrected.body.code]).toEqual([422, 'DECISION_CORRECTION_NOT_ALLOWED']);
      const other = await step(caseId, { stepType: 'other', text: '电话联系当事人' });
      expect(other.status).toBe(201);
      expect((await step(caseId, { stepType: 'correction', correctsRecordId: other.body.id, text: '应为短信联系' })).status).toBe(201);
    });

    it('refuses closing while the decision is neither served nor paid, and a reason that does not fit', async () => {
      const closing = await step(caseId, { stepType: 'closing' });
      expect([closing.status, closing.body.code]).toEqual([422, 'CLOSING_PERIODS_UNSETTLED']);
      expect(closing.body.details).toMatchObject({ unsettled: ['service', 'payment'] });
      const unknown = await step(caseId, { stepType: 'closing', fields: { closingReason: '领导批准', statement: '同意结案' } });
      expect([unknown.status, unknown.body.code]).toEqual([400, 'CLOSING_REASON_UNKNOWN']);
      const silent = await step(caseId, { stepType: 'closing', fields: { closingReason: 'execution-ended' } });
      expect([silent.status, silent.body.code]).toEqual([400, 'CLOSING_STATEMENT_REQUIRED']);
      const unfit = await step(caseId, { stepType: 'closing', fields: { closingReason: 'no-penalty', statement: '不予处罚' } });
      expect([unfit.status, unfit.body.code]).toEqual([422, 'CLOSING_REASON_NOT_APPLICABLE']);
    });

    it('revokes through the alteration: DecisionAltered in the outbox, the payment cancelled, execution refused', async () => {
      expect((await step(caseId, { stepType: 'service', fields: { method: 'direct' } })).status).toBe(201);
      expect(await deadline(caseId, 'payment-15d')).toMatchObject({ status: 'open', payment: { fineFen: '300000', lateFeeFen: '0' } });

      const altered = await post(`/cases/${caseId}/decision-alterations`, {
        kind: 'revoked',
        reason: '行政复议决定撤销',
        basis: '沪黄府复〔2026〕12号',
      });
      expect(altered.status).toBe(201);
      expect(altered.body).toMatchObject({ stepType: 'decision-alteration', fields: { kind: 'revoked', decisionRecordId: decisionId } });
      const outbox = (await dataSource.query('SELECT event_type AS type FROM outbox_events WHERE partition_key = ?', [caseId])) as Array<{
        type: string;
      }>;
      expect(outbox.map((row) => row.type)).toContain('enforcement.recording.v1.DecisionAltered');
      expect(await deadline(caseId, 'payment-15d')).toMatchObject({ status: 'cancelled' });
      expect((await get(`/cases/${caseId}`)).body).toMatchObject({ decisionStanding: 'revoked' });

      const executed = await step(caseId, { stepType: 'execution', fields: { paid: true } });
      expect([executed.status, executed.body.code]).toEqual([409, 'DECISION_REVOKED']);
      const again = await post(`/cases/${caseId}/decision-alterations`, {
        kind: 'changed',
        reason: '重新变更',
        penalties: [{ kind: 'warning' }],
      });
      expect([again.status, again.body.code]).toEqual([409, 'DECISION_REVOKED']);
      // Nothing is left to serve, pay or execute: the case closes.
      expect((await step(caseId, { stepType: 'closing' })).status).toBe(201);
    });

    it('refuses a change that states no penalties', async () => {
      const other = await openCase();
      await decide(other, { ...fine(50_000), partyPresent: true });
      const response = await post(`/cases/${other}/decision-alterations`, { kind: 'changed', reason: '复议变更' });
      expect([response.status, response.body.code]).toEqual([400, 'PENALTY_REQUIRED']);
      const changed = await post(`/cases/${other}/decision-alterations`, {
        kind: 'changed',
        reason: '复议变更',
        penalties: [{ kind: 'fine', amountFen: 20_000 }],
      });
      expect(changed.status).toBe(201);
      expect(await deadline(other, 'payment-15d')).toMatchObject({ status: 'open', payment: { fineFen: '20000' } });
    });
  });

  describe('a case altered after closing is archived anew (Art. 47, 48)', () => {
    it('keeps the first archive and adds a second, each verifiable on its own', async () => {
      const caseId = await openCase();
      await decide(caseId, { penalties: [{ kind: 'warning' }], partyPresent: true });
      expect((await step(caseId, { stepType: 'closing' })).status).toBe(201);
      await eventually(async () => expect((await get(`/cases/${caseId}/archives`)).body).toHaveLength(1));
      expect((await step(caseId, { stepType: 'other', text: '补充' })).body.code).toBe('CASE_CLOSED');

      const altered = await post(`/cases/${caseId}/decision-alterations`, { kind: 'confirmed-illegal', reason: '人民法院判决确认违法' });
      expect(altered.status).toBe(201);
      await eventually(async () => expect((await get(`/cases/${caseId}/archives`)).body).toHaveLength(2));
      const versions = (await get(`/cases/${caseId}/archives`)).body as Array<{
        id: string;
        version: number;
        recordCount: number;
        sha256: string;
      }>;
      expect(versions.map((version) => version.version)).toEqual([1, 2]);
      expect(versions[1].recordCount).toBe(versions[0].recordCount + 1);

      for (const version of versions) {
        const response = await request(sut.app.getHttpServer())
          .get(`/cases/${caseId}/archives/${version.id}`)
          .query({ purpose: '行政诉讼答辩材料' })
          .set('Authorization', await auth(officerA))
          .buffer(true)
          .parse((res, callback) => {
            const chunks: Buffer[] = [];
            res.on('data', (chunk: Buffer) => chunks.push(chunk));
            res.on('end', () => callback(null, Buffer.concat(chunks)));
          })
          .expect(200);
        expect(response.headers['x-archive-sha256']).toBe(version.sha256);
        const file = path.join(workDir, `v${version.version}.zip`);
        await writeFile(file, response.body as Buffer);
        expect(await verifyArchiveFile(file)).toMatchObject({
          intact: true,
          records: version.recordCount,
          archiveVersion: version.version,
        });
      }
      // The second names the first, whose chain it extends.
      const second = await verifyArchiveFile(path.join(workDir, 'v2.zip'));
      expect(second.supersedes).toEqual({
        archiveId: versions[0].id,
        sha256: versions[0].sha256,
        recordCount: versions[0].recordCount,
        chainHead: expect.stringMatching(/^[0-9a-f]{64}$/),
      });
      expect((await verifyArchiveFile(path.join(workDir, 'v1.zip'))).supersedes).toBeNull();

      // A second version that claims another history than the first archive's is not intact.
      const forged = path.join(workDir, 'v2-forged.zip');
      await rewriteZip(path.join(workDir, 'v2.zip'), forged, (name, bytes) => {
        if (name !== 'case.json') return bytes;
        const index = JSON.parse(bytes.toString('utf8')) as { supersedes: { chainHead: string } };
        index.supersedes.chainHead = 'f'.repeat(64);
        return Buffer.from(JSON.stringify(index, null, 2));
      });
      expect(await verifyArchiveFile(forged)).toMatchObject({
        intact: false,
        firstBroken: { reason: 'case-file-mismatch', detail: 'superseded archive chain head' },
      });
    });
  });

  describe('closing (Art. 47)', () => {
    it('refuses closing an undecided case without a listed reason and a statement, and closes it with them', async () => {
      const caseId = await openCase();
      const bare = await step(caseId, { stepType: 'closing', fields: { reason: '不予处罚' } });
      expect([bare.status, bare.body.code]).toEqual([400, 'CLOSING_REASON_REQUIRED']);
      const listed = await step(caseId, { stepType: 'closing', fields: { closingReason: 'no-penalty', statement: '违法事实不能成立' } });
      expect(listed.status).toBe(201);
    });
  });

  describe('the decision period (Art. 60)', () => {
    it('stops while the case is suspended, runs again on resumption, and is extended once by the agency length', async () => {
      const settings = await request(sut.app.getHttpServer())
        .put(`/agencies/${AGENCY}/deadline-settings`)
        .set('Authorization', await auth(agencyAdmin))
        .send({ decisionExtensionDays: 45 });
      expect(settings.body).toMatchObject({ decisionExtensionDays: 45, configured: true });

      const caseId = await openCase();
      const before = await deadline(caseId, 'decision-90d');
      expect(before).toMatchObject({ status: 'open', extensionDays: 0 });

      const reasonless = await step(caseId, { stepType: 'suspension' });
      expect([reasonless.status, reasonless.body.code]).toEqual([400, 'SUSPENSION_REASON_REQUIRED']);
      expect((await step(caseId, { stepType: 'suspension', fields: { reason: '当事人下落不明' } })).status).toBe(201);
      expect(await deadline(caseId, 'decision-90d')).toMatchObject({ status: 'suspended', overdue: false });
      expect((await step(caseId, { stepType: 'suspension', fields: { reason: '等待鉴定' } })).body.code).toBe('CASE_ALREADY_SUSPENDED');
      expect((await step(caseId, { stepType: 'resumption' })).status).toBe(201);
      expect(await deadline(caseId, 'decision-90d')).toMatchObject({ status: 'open', suspendedAt: null });
      expect((await step(caseId, { stepType: 'resumption' })).body.code).toBe('CASE_NOT_SUSPENDED');

      const reasonlessRequest = await step(caseId, { stepType: 'decision-period-extension' });
      expect([reasonlessRequest.status, reasonlessRequest.body.code]).toEqual([400, 'EXTENSION_REASON_REQUIRED']);
      const requested = { reason: '案情复杂，需补充检验' };
      expect((await step(caseId, { stepType: 'decision-period-extension', fields: requested })).status).toBe(201);
      // The agency head approves in a record of its own (DecisionPeriodExtensionService); only then is it extended.
      expect(await deadline(caseId, 'decision-90d')).toMatchObject({ extensionDays: 0 });
      const approval = await post(`/cases/${caseId}/decision-period-extension/approval`, { comment: '同意延长' }, agencyAdmin);
      expect(approval.status).toBe(201);
      const extended = await deadline(caseId, 'decision-90d');
      expect(extended).toMatchObject({ extensionDays: 45 });
      expect(new Date(String(extended?.['dueAt'])).getTime()).toBeGreaterThanOrEqual(
        // 45 days more, less the day the unextended end was moved off a rest day, if it was (民法典 Art. 203).
        new Date(String(before?.['dueAt'])).getTime() + 44 * 24 * 3600_000,
      );
      const twice = await step(caseId, { stepType: 'decision-period-extension', fields: requested });
      expect([twice.status, twice.body.code]).toEqual([409, 'DECISION_PERIOD_ALREADY_EXTENDED']);
    });

    it('moves the period with a corrected opening time, and refuses a corrected time that is no time', async () => {
      const caseId = await openCase();
      const [opening] = (await get(`/cases/${caseId}/records`)).body as Array<{ id: string; occurredAt: string }>;
      const before = await deadline(caseId, 'decision-90d');
      const tomorrow = new Date(Date.now() + 24 * 3600_000).toISOString();
      const future = await step(caseId, {
        stepType: 'correction',
        correctsRecordId: opening.id,
        fields: { correctedOccurredAt: tomorrow },
      });
      expect([future.status, future.body.code]).toEqual([400, 'CORRECTED_TIME_INVALID']);

      const earlier = new Date(new Date(opening.occurredAt).getTime() - 3 * 24 * 3600_000).toISOString();
      const corrected = await step(caseId, {
        stepType: 'correction',
        correctsRecordId: opening.id,
        fields: { correctedOccurredAt: earlier },
        text: '立案时间更正',
      });
      expect(corrected.status).toBe(201);
      const after = await deadline(caseId, 'decision-90d');
      expect(after).toMatchObject({ startsAt: earlier });
      expect(new Date(String(after?.['dueAt'])).getTime()).toBeLessThanOrEqual(new Date(String(before?.['dueAt'])).getTime());
    });
  });
});
