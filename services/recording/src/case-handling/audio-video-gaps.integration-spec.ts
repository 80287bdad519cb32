import type { AuthenticatedUser } from '@enforcement/auth';
import { startServiceForTest, type ServiceUnderTest } from '@enforcement/service-testing';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { App } from 'supertest/types';
import { DataSource } from 'typeorm';
import { EvidenceItemEntity } from '../evidence/evidence-item.entity';
import { seedCertificates } from '../evidence/test-support/evidence-fixtures';
import { recordingService } from '../service';
import { generalCaseBody } from './test-support/case-fixtures';

const AGENCY = '3f1e0c1a-0000-4000-8000-0000000000e1';
const OTHER_AGENCY = '3f1e0c1a-0000-4000-8000-0000000000e2';
const officer = (): AuthenticatedUser => ({ userId: randomUUID(), agencyId: AGENCY, roles: ['officer'] });
const [a, b] = [officer(), officer()];
const head: AuthenticatedUser = { userId: randomUUID(), agencyId: AGENCY, roles: ['agency-admin'] };
const otherHead: AuthenticatedUser = { userId: randomUUID(), agencyId: OTHER_AGENCY, roles: ['agency-admin'] };
const supervisor: AuthenticatedUser = {
  userId: randomUUID(),
  agencyId: '3f1e0c1a-0000-4000-8000-0000000000e5',
  roles: ['supervisor'],
  supervisedRegionCode: '310100',
};
/** A supervisor on the case's own agency's staff: not the independent supervision the approval needs. */
const ownSupervisor: AuthenticatedUser = { ...supervisor, userId: randomUUID(), agencyId: AGENCY };
const MINUTE = 60_000;
const iso = (ms: number) => new Date(ms).toISOString();
const GAP = '执法记录仪在查封过程中电量耗尽，已现场拍照并制作查封笔录';

/** Full audio/video recording where required (国办发〔2018〕118号): each way around it, over HTTP on MariaDB. */
describe('audio/video gaps (HTTP, MariaDB)', () => {
  let sut: ServiceUnderTest;
  const started = Date.now() - 60 * MINUTE;
  const http = () => request(sut.app.getHttpServer() as App);
  const auth = async (user: AuthenticatedUser) => `Bearer ${await sut.tokenFor(user)}`;
  const step = async (caseId: string, body: Record<string, unknown>) =>
    http()
      .post(`/cases/${caseId}/steps`)
      .set('authorization', await auth(a))
      .set(await sut.coOfficerProofs(b))
      .send({ place: '上海市黄浦区南京东路1号', coOfficerIds: [b.userId], ...body });
  const sealing = (extra: Record<string, unknown> = {}) => ({
    stepType: 'sealing-seizure',
    occurredAt: iso(started + 10 * MINUTE),
    endedAt: iso(started + 40 * MINUTE),
    fields: { propertyList: [{ item: '过期冷冻肉', quantity: '20箱' }] },
    ...extra,
  });
  const approve = async (user: AuthenticatedUser, caseId: string, recordId: string) =>
    http()
      .post(`/cases/${caseId}/audio-video-gaps/${recordId}/approval`)
      .set('authorization', await auth(user))
      .send({ comment: '已核实设备故障情况，现场照片及笔录足以佐证，同意' });
  const openCase = async () => {
    const opened = await http()
      .post('/cases')
      .set('authorization', await auth(a))
      .set(await sut.coOfficerProofs(b))
      .send(generalCaseBody(b.userId, { occurredAt: iso(started) }));
    expect(opened.status).toBe(201);
    return opened.body.id as string;
  };
  const sealedEvidence = async (caseId: string, mediaType: string) => {
    const id = randomUUID();
    await sut.app
      .get(DataSource)
      .getRepository(EvidenceItemEntity)
      .insert({
        id,
        caseId,
        objectKey: `cases/${caseId}/evidence/${id}`,
        sha256: 'a'.repeat(64),
        sizeBytes: '1024',
        mediaType,
        deviceId: 'DSJ-001',
        officerId: a.userId,
        recordingStartedAt: new Date(started),
        recordingEndedAt: new Date(started + 50 * MINUTE),
        stepRecordId: null,
        sealedAt: new Date(),
        sealRecordId: randomUUID(),
      });
    return id;
  };

  beforeAll(async () => {
    sut = await startServiceForTest(recordingService);
    await seedCertificates(
      sut.app,
      [a.userId, b.userId].map((officerId) => ({ officerId, agencyId: AGENCY })),
    );
  });

  afterAll(() => sut?.close());

  it('refuses a sealing without its end, without video, with photos only, or recorded as another step', async () => {
    const caseId = await openCase();
    const photo = await sealedEvidence(caseId, 'image/jpeg');

    const noEnd = await step(caseId, sealing({ endedAt: undefined }));
    expect([noEnd.status, noEnd.body.code]).toEqual([400, 'AUDIO_VIDEO_WINDOW_REQUIRED']);
    const bare = await step(caseId, sealing());
    expect([bare.status, bare.body.code]).toEqual([422, 'AUDIO_VIDEO_REQUIRED']);
    const photosOnly = await step(caseId, sealing({ evidenceIds: [photo] }));
    expect([photosOnly.status, photosOnly.body.code]).toEqual([422, 'AUDIO_VIDEO_REQUIRED']);
    const disguised = await step(caseId, { ...sealing(), stepType: 'other' });
    expect([disguised.status, disguised.body.code]).toEqual([400, 'SEALING_STEP_REQUIRED']);

    const video = await sealedEvidence(caseId, 'video/mp4');
    const covered = await step(caseId, sealing({ evidenceIds: [video] }));
    expect(covered.status).toBe(201);
    expect(covered.body.fields).not.toHaveProperty('audioVideoGapJustification');
    const none = await http()
      .get(`/cases/${caseId}/audio-video-gaps`)
      .set('authorization', await auth(a));
    expect(none.body).toEqual({ recordIds: [] });
  });

  it('holds legal review and closing on a justified gap until the agency head or a supervisor approves it', async () => {
    const caseId = await openCase();
    const gap = await step(caseId, sealing({ audioVideoGapJustification: GAP }));
    expect(gap.status).toBe(201);
    const gapId = gap.body.id as string;
    expect(
      (
        await http()
          .get(`/cases/${caseId}/audio-video-gaps`)
          .set('authorization', await auth(a))
      ).body,
    ).toEqual({ recordIds: [gapId] });
    const notice = await step(caseId, {
      stepType: 'notice',
      occurredAt: iso(started + 45 * MINUTE),
      fields: { penalties: [{ kind: 'fine', amountFen: 500_000 }], facts: '销售过期食品', legalBasis: '《食品安全法》第一百二十四条' },
    });
    expect(notice.status).toBe(201);

    const review = await step(caseId, { stepType: 'legal-review', occurredAt: iso(started + 50 * MINUTE) });
    expect([review.status, review.body.code, review.body.details?.recordIds]).toEqual([422, 'AUDIO_VIDEO_GAP_UNAPPROVED', [gapId]]);
    const closing = await step(caseId, {
      stepType: 'closing',
      occurredAt: iso(started + 50 * MINUTE),
      fields: { closingReason: 'no-penalty', closingStatement: '经审查，违法事实不能成立，不予行政处罚' },
    });
    expect([closing.status, closing.body.code]).toEqual([422, 'AUDIO_VIDEO_GAP_UNAPPROVED']);

    // Not the officers themselves, nor another agency's head, nor a supervisor of the case's own agency.
    const byOfficer = await approve(a, caseId, gapId);
    expect([byOfficer.status, byOfficer.body.code]).toEqual([403, 'ROLE_REQUIRED']);
    const byOtherHead = await approve(otherHead, caseId, gapId);
    expect([byOtherHead.status, byOtherHead.body.code]).toEqual([403, 'CASE_SCOPE']);
    const byOwnSupervisor = await approve(ownSupervisor, caseId, gapId);
    expect([byOwnSupervisor.status, byOwnSupervisor.body.code]).toEqual([403, 'GAP_APPROVER_REQUIRED']);
    expect(byOwnSupervisor.body.details).toMatchObject({ article: expect.stringContaining('118') });
    const notAGap = await approve(head, caseId, notice.body.id as string);
    expect([notAGap.status, notAGap.body.code]).toEqual([409, 'AUDIO_VIDEO_GAP_NOT_PENDING']);

    const approved = await approve(supervisor, caseId, gapId);
    expect(approved.status).toBe(201);
    expect(approved.body).toMatchObject({
      stepType: 'audio-video-gap-approval',
      recordedBy: supervisor.userId,
      fields: { gapRecordId: gapId, approverRole: 'supervisor' },
    });
    const again = await approve(head, caseId, gapId);
    expect([again.status, again.body.code]).toEqual([409, 'AUDIO_VIDEO_GAP_NOT_PENDING']);

    const reviewed = await step(caseId, { stepType: 'legal-review', occurredAt: iso(started + 55 * MINUTE) });
    expect(reviewed.status).toBe(201);
    const verification = await http()
      .get(`/cases/${caseId}/verification`)
      .set('authorization', await auth(a));
    expect(verification.body.intact).toBe(true);
  });

  it('does not take an approval as an officer’s step', async () => {
    const caseId = await openCase();
    const forged = await step(caseId, {
      stepType: 'audio-video-gap-approval',
      occurredAt: iso(started + MINUTE),
      fields: { gapRecordId: randomUUID() },
    });
    expect([forged.status, forged.body.code]).toEqual([400, 'STEP_NOT_ALLOWED']);
  });
});
