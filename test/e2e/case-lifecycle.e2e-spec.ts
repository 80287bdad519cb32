import { Logger } from '@nestjs/common';
import type { AuthenticatedUser } from '@enforcement/auth';
import { create, encodeEnvelope, Events, legalReviewV1, timestampFromDate } from '@enforcement/contracts';
import { KafkaTransport } from '@enforcement/events';
import { withCreditCodeCheck } from '@enforcement/identifiers';
import { spawnSync } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createConnection } from 'mysql2/promise';
import { startDistributed, type DistributedPlatform } from '../support/distributed';
import { call, coOfficerProofs, untilRecordingKnowsCertificates, type JsonResponse } from '../support/http';
import { eventually, REPO_ROOT } from '../support/processes';

const HOUR = 3600_000;
const DAY = 24 * HOUR;
const iso = (ms: number) => new Date(ms).toISOString();
const sysadmin: AuthenticatedUser = { userId: 'e2e-sysadmin', agencyId: '', roles: ['system-admin'] };
const largeFine = { penalties: [{ kind: 'fine', amountFen: 20_000_000 }], facts: '销售过期食品，货值金额较大' };

/**
 * A general-procedure case from opening to archive across the certificates and recording services, on
 * MariaDB, the Kafka-protocol mock and an S3 server, through HTTP as clients use it. Every refusal on the
 * way is one the law requires.
 */
describe('case lifecycle (distributed)', () => {
  let platform: DistributedPlatform;
  let recording: string;
  let agencyId: string;
  /** A POST with the own fresh token of each co-officer the body names (Art. 42: every acting officer confirms). */
  const act = async (method: string, url: string, token: string, body: unknown): Promise<JsonResponse> =>
    call(method, url, token, body, await coOfficerProofs(platform, agencyId, body));
  const officers: Record<'a' | 'b' | 'chair', { id: string; token: string }> = {} as never;
  let caseId: string;
  const now = Date.now();
  // The case is entered after the fact, as a case's record often is: opened 40 days ago, notified 30 days ago, so its
  // steps take the party's periods (Art. 44, 64) without waiting; each step entered after a day says why (Art. 47).
  const openedAt = now - 40 * DAY;
  const noticeAt = now - 30 * DAY;
  const lateEntryReason = '案件纸质卷宗补录入系统';
  const hearingPlace = '上海市黄浦区市场监督管理局第一听证室';
  let hearingRecordId: string;

  const step = async (who: 'a' | 'b' | 'chair', body: Record<string, unknown>): Promise<JsonResponse> =>
    act('POST', `${recording}/cases/${caseId}/steps`, officers[who].token, { place: '上海市黄浦区南京东路1号', lateEntryReason, ...body });

  beforeAll(async () => {
    platform = await startDistributed(['certificates', 'recording']);
    recording = platform.urls['recording'];
    const certificates = platform.urls['certificates'];
    const admin = await platform.sign(sysadmin);
    const agency = await call('POST', `${certificates}/agencies`, admin, {
      name: '上海市黄浦区市场监督管理局',
      creditCode: '11310101MB2F00009Y',
      regionCode: '310101',
      domains: ['market-regulation'],
      legalBasis: '《中华人民共和国行政处罚法》',
    });
    expect(agency.status).toBe(201);
    agencyId = agency.body['id'] as string;
    const idNumbers = { a: '11010519491231002X', b: '440524188001010014', chair: '110105194912310038' };
    for (const [key, idNumber] of Object.entries(idNumbers) as Array<['a' | 'b' | 'chair', string]>) {
      const officer = await call('POST', `${certificates}/agencies/${agencyId}/officers`, admin, {
        name: `执法人员${key}`,
        idNumber,
        roles: ['officer'],
      });
      expect(officer.status).toBe(201);
      const id = officer.body['id'] as string;
      const certificate = await call('POST', `${certificates}/officers/${id}/certificates`, admin, {
        number: `SH-LC-${key}`,
        issuingAuthority: '上海市人民政府',
        domains: ['market-regulation'],
        regionCodes: ['310101'],
        validFrom: '2020-01-01',
        validUntil: '2035-12-31',
      });
      expect(certificate.status).toBe(201);
      if (key === 'chair') {
        // The chair concludes the legal review below: recording takes a conclusion only from a reviewer qualified in
        // certificates (Art. 58), so the chair holds the legal-review qualification and the reviewer role.
        const qualified = await call('POST', `${certificates}/officers/${id}/review-qualification`, admin, {
          qualificationNumber: 'A2019-LC-0001',
          qualifiedOn: '2019-03-01',
        });
        expect(qualified.status).toBeLessThan(300);
        const roles = await call('PUT', `${certificates}/officers/${id}/roles`, admin, { roles: ['officer', 'reviewer'] });
        expect(roles.status).toBeLessThan(300);
      }
      officers[key] = { id, token: await platform.sign({ userId: id, agencyId, roles: ['officer'] }) };
    }
    // Recording learns the certificates from events, not from a call.
    await untilRecordingKnowsCertificates(recording, { domain: 'market-regulation', regionCode: '310101' }, officers);
  }, 180_000);

  afterAll(() => platform?.stop());

  it('opens the case with two certified officers and the party encrypted at rest', async () => {
    const opened = await act('POST', `${recording}/cases`, officers.a.token, {
      domain: 'market-regulation',
      regionCode: '310101',
      procedure: 'general',
      party: { kind: 'organisation', name: '上海某某食品有限公司', identifier: '91310101MA1FL1234C', contact: { phone: '021-12345678' } },
      allegedViolation: '销售超过保质期的食品',
      legalBasis: '《中华人民共和国食品安全法》第一百二十四条',
      coOfficerIds: [officers.b.id],
      occurredAt: iso(openedAt),
      lateEntryReason,
    });
    expect(opened.status).toBe(201);
    caseId = opened.body['id'] as string;
    const connection = await createConnection(platform.databases['recording'].url);
    try {
      const [rows] = await connection.query('SELECT identifier_encrypted AS v FROM case_parties WHERE case_id = ?', [caseId]);
      expect((rows as Array<{ v: string }>)[0].v).toMatch(/^enc:v1:/);
    } finally {
      await connection.end();
    }
    const detail = await call('GET', `${recording}/cases/${caseId}`, officers.a.token);
    expect(detail.body['party']).toMatchObject({ identifier: '91310101MA1FL1234C' });
  });

  it('needs two officers on site (Art. 42) and records the certificates they showed', async () => {
    const alone = await step('a', { stepType: 'inspection', occurredAt: iso(openedAt + 2 * HOUR), text: '现场检查' });
    expect(alone.status).toBe(403);
    expect(alone.body.code).toBe('TOO_FEW_OFFICERS');
    const together = await step('a', {
      stepType: 'inspection',
      occurredAt: iso(openedAt + 2 * HOUR),
      coOfficerIds: [officers.b.id],
      text: '现场检查',
    });
    expect(together.status).toBe(201);
    expect((together.body['certificates'] as Array<{ number: string }>).map((c) => c.number).sort()).toEqual(['SH-LC-a', 'SH-LC-b']);
  });

  it('refuses a decision before the notice (Art. 44, 62)', async () => {
    const early = await step('a', { stepType: 'decision', occurredAt: iso(now - HOUR), fields: largeFine });
    expect(early.body).toMatchObject({ code: 'NOTICE_REQUIRED', message: expect.any(String) });
  });

  it('refuses sealing without covering audio/video, and accepts it with a sealed recording', async () => {
    const window = { from: openedAt + 3 * HOUR, to: openedAt + 3.5 * HOUR };
    const bare = await step('a', {
      stepType: 'sealing-seizure',
      occurredAt: iso(window.from + 60_000),
      endedAt: iso(window.to - 60_000),
      coOfficerIds: [officers.b.id],
    });
    expect(bare.body.code).toBe('AUDIO_VIDEO_REQUIRED');

    const bytes = Buffer.alloc(1024 * 1024, 7);
    const upload = await act('POST', `${recording}/cases/${caseId}/evidence/uploads`, officers.a.token, {
      mediaType: 'video/mp4',
      sizeBytes: bytes.length,
      deviceId: 'BWC-0001',
      recordingStartedAt: iso(window.from),
      recordingEndedAt: iso(window.to),
      // A paper case entered weeks later: its footage comes past the 24-hour limit too.
      lateEntryReason,
    });
    expect(upload.status).toBe(201);
    const part = await fetch(`${recording}/cases/${caseId}/evidence/uploads/${upload.body['uploadId']}/parts/1`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${officers.a.token}`, 'content-type': 'application/octet-stream' },
      body: bytes,
    });
    expect(part.status).toBe(200);
    const sealed = await call(
      'POST',
      `${recording}/cases/${caseId}/evidence/uploads/${upload.body['uploadId']}/complete`,
      officers.a.token,
      {
        sha256: createHash('sha256').update(bytes).digest('hex'),
      },
    );
    expect(sealed.status).toBe(201);

    const covered = await step('a', {
      stepType: 'sealing-seizure',
      occurredAt: iso(window.from + 60_000),
      endedAt: iso(window.to - 60_000),
      coOfficerIds: [officers.b.id],
      evidenceIds: [sealed.body['id']],
    });
    expect(covered.status).toBe(201);
  });

  it('holds the decision for a requested hearing, chaired by someone who did not investigate (Art. 63-65)', async () => {
    expect((await step('a', { stepType: 'notice', occurredAt: iso(noticeAt), fields: largeFine })).status).toBe(201);
    expect((await step('a', { stepType: 'hearing-request', occurredAt: iso(noticeAt + HOUR) })).status).toBe(201);
    expect((await step('a', { stepType: 'decision', occurredAt: iso(now - HOUR), fields: largeFine })).body.code).toBe('HEARING_PENDING');
    const hearingAt = noticeAt + 20 * DAY;
    expect(
      (
        await step('a', {
          stepType: 'hearing-notice',
          occurredAt: iso(noticeAt + 2 * HOUR),
          fields: { hearingAt: iso(hearingAt), hearingPlace },
        })
      ).status,
    ).toBe(201);
    const investigatorChair = await step('a', {
      stepType: 'hearing',
      occurredAt: iso(hearingAt),
      place: hearingPlace,
      fields: { chairOfficerId: officers.b.id },
    });
    expect(investigatorChair.body.code).toBe('HEARING_CHAIR_INVESTIGATED');
    // Held when and where the party was told (Art. 64), not a day early.
    const early = await step('a', {
      stepType: 'hearing',
      occurredAt: iso(hearingAt - DAY),
      place: hearingPlace,
      fields: { chairOfficerId: officers.chair.id },
    });
    expect(early.body.code).toBe('HEARING_NOT_AS_NOTIFIED');
    const held = await step('a', {
      stepType: 'hearing',
      occurredAt: iso(hearingAt),
      place: hearingPlace,
      fields: { chairOfficerId: officers.chair.id },
    });
    expect(held.status).toBe(201);
    hearingRecordId = held.body['id'] as string;
  });

  it('keeps the decision shut until legal review approves it (Art. 58)', async () => {
    // Art. 65: the decision rests on the hearing's transcript.
    expect((await step('a', { stepType: 'decision', occurredAt: iso(now - HOUR), fields: largeFine })).body.code).toBe(
      'HEARING_TRANSCRIPT_REQUIRED',
    );
    expect(
      (await step('a', { stepType: 'decision', occurredAt: iso(now - HOUR), fields: { ...largeFine, hearingRecordId } })).body.code,
    ).toBe('LEGAL_REVIEW_REQUIRED');
    const proposed = await step('a', { stepType: 'legal-review', occurredAt: iso(now - 50 * 60_000) });
    expect(proposed.status).toBe(201);
    expect(
      (await step('a', { stepType: 'decision', occurredAt: iso(now - HOUR), fields: { ...largeFine, hearingRecordId } })).body.code,
    ).toBe('LEGAL_REVIEW_REQUIRED');

    // The legal-review service's conclusion, as it will publish it.
    const publisher = new KafkaTransport(
      { brokers: platform.kafka.brokers, clientId: 'legal-review-stand-in', topicPrefix: platform.kafka.topicPrefix },
      new Logger('test'),
    );
    try {
      const eventId = randomUUID();
      const payload = create(Events.ReviewConcluded.schema, {
        reviewId: randomUUID(),
        caseId,
        outcome: legalReviewV1.ReviewOutcome.APPROVED,
        opinion: '事实清楚，证据确凿，适用依据正确，程序合法',
        reviewerOfficerId: officers.chair.id,
        concludedAt: timestampFromDate(new Date(now - 40 * 60_000)),
        // The proposal it approves: the legal-review record's hash (recording opens its gate for exactly that one).
        proposalDigest: String(proposed.body['hash']),
      });
      const value = encodeEnvelope(Events.ReviewConcluded, payload, {
        eventId,
        occurredAt: new Date(),
        agencyId,
        actingUserId: officers.chair.id,
        correlationId: eventId,
        causationId: '',
        partitionKey: caseId,
      });
      await publisher.publish([{ topic: Events.ReviewConcluded.topic, key: caseId, value, headers: {} }]);
    } finally {
      await publisher.close();
    }
    await eventually(
      async () => {
        const detail = await call('GET', `${recording}/cases/${caseId}`, officers.a.token);
        return detail.body['legalReviewStatus'] === 'approved' ? true : undefined;
      },
      60_000,
      'the approved review in the case',
    );
  });

  it('decides, serves, executes and closes, then refuses further steps and archives the record', async () => {
    const decisionFields = { ...largeFine, hearingRecordId, decisionNumber: '沪黄市监罚〔2026〕1号', partyPresent: false };
    // Art. 57: a heavy penalty is decided collectively by the agency's leaders.
    expect((await step('a', { stepType: 'decision', occurredAt: iso(now - 30 * 60_000), fields: decisionFields })).body.code).toBe(
      'COLLECTIVE_DECISION_REQUIRED',
    );
    expect((await step('a', { stepType: 'collective-decision', occurredAt: iso(now - 35 * 60_000) })).status).toBe(201);
    // Art. 44, 45: not heavier than the notice told the party.
    const heavier = { ...decisionFields, penalties: [{ kind: 'fine', amountFen: 30_000_000 }] };
    expect((await step('a', { stepType: 'decision', occurredAt: iso(now - 30 * 60_000), fields: heavier })).body.code).toBe(
      'DECISION_EXCEEDS_NOTICE',
    );
    const decision = await step('a', { stepType: 'decision', occurredAt: iso(now - 30 * 60_000), fields: decisionFields });
    expect(decision.status).toBe(201);
    // Service in person and execution by two officers (Art. 42); neither before the decision.
    expect((await step('a', { stepType: 'service', occurredAt: iso(now - 20 * 60_000) })).body.code).toBe('TOO_FEW_OFFICERS');
    expect((await step('a', { stepType: 'service', occurredAt: iso(now - 40 * 60_000), coOfficerIds: [officers.b.id] })).body.code).toBe(
      'STEP_BEFORE_PREREQUISITE',
    );
    expect((await step('a', { stepType: 'service', occurredAt: iso(now - 20 * 60_000), coOfficerIds: [officers.b.id] })).status).toBe(201);
    expect(
      (
        await step('a', {
          stepType: 'execution',
          occurredAt: iso(now - 10 * 60_000),
          coOfficerIds: [officers.b.id],
          fields: { paid: true },
        })
      ).status,
    ).toBe(201);
    // Closed now: not before anything the case's record already holds (the evidence was sealed minutes ago).
    const closing = await step('a', { stepType: 'closing', occurredAt: iso(Date.now()) });
    expect([closing.status, closing.body.code]).toEqual([201, undefined]);
    expect((await step('a', { stepType: 'other', occurredAt: iso(now - 60_000) })).body.code).toBe('CASE_CLOSED');

    const deadlines = await call('GET', `${recording}/cases/${caseId}/deadlines`, officers.a.token);
    expect(deadlines.status).toBe(200);
  });

  it('verifies the chain, and the archive offline with the CLI', async () => {
    const verification = await call('GET', `${recording}/cases/${caseId}/verification`, officers.a.token);
    expect(verification.body).toMatchObject({ intact: true });

    const archive = await fetch(`${recording}/cases/${caseId}/archive?purpose=${encodeURIComponent('结案归档核对')}`, {
      headers: { authorization: `Bearer ${officers.a.token}` },
    });
    expect(archive.status).toBe(200);
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'archive-')), 'case.zip');
    fs.writeFileSync(file, Buffer.from(await archive.arrayBuffer()));
    const cli = spawnSync(process.execPath, ['scripts/run-ts.js', 'scripts/verify.ts', '--archive', file], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
    });
    expect(cli.status).toBe(0);
  });

  it('detects a record changed behind the service back', async () => {
    const connection = await createConnection(platform.databases['recording'].url);
    try {
      await connection.query("UPDATE case_records SET text = '篡改' WHERE case_id = ? AND sequence = 3", [caseId]);
    } finally {
      await connection.end();
    }
    const verification = await call('GET', `${recording}/cases/${caseId}/verification`, officers.a.token);
    expect(verification.body).toMatchObject({ intact: false, firstBroken: { sequence: 3, reason: 'content-hash-mismatch' } });
  });

  it('shows the case only to its agency (and supervisors of the region)', async () => {
    const stranger = await platform.sign({ userId: randomUUID(), agencyId: randomUUID(), roles: ['officer'] });
    expect((await call('GET', `${recording}/cases/${caseId}`, stranger)).body.code).toBe('CASE_SCOPE');
    const supervisor = await platform.sign({
      userId: randomUUID(),
      agencyId: randomUUID(),
      roles: ['supervisor'],
      supervisedRegionCode: '310000',
    });
    const seen = await call('GET', `${recording}/cases/${caseId}`, supervisor);
    expect(seen.status).toBe(200);
    expect(seen.body['party']).not.toHaveProperty('identifier');
  });

  it('numbers cases opened at the same moment one after the other, never twice', async () => {
    const openings = await Promise.all(
      Array.from({ length: 6 }, (_, i) => {
        const [opener, partner] = i % 2 === 0 ? [officers.a, officers.b] : [officers.b, officers.a];
        return act('POST', `${recording}/cases`, opener.token, {
          domain: 'market-regulation',
          regionCode: '310101',
          procedure: 'general',
          party: {
            kind: 'organisation',
            name: `上海某某商行${i}`,
            identifier: withCreditCodeCheck(`91310101MA1FL1${String(i).padStart(3, '0')}`),
            contact: {},
          },
          allegedViolation: '无照经营',
          legalBasis: '《无证无照经营查处办法》第十三条',
          coOfficerIds: [partner.id],
        });
      }),
    );
    expect(openings.map((opened) => opened.status)).toEqual(Array(6).fill(201));
    const numbers = openings.map((opened) => String(opened.body['caseNumber']));
    expect(new Set(numbers).size).toBe(6);
    const sequence = numbers.map((number) => Number(number.slice(-5))).sort((x, y) => x - y);
    expect(sequence[sequence.length - 1] - sequence[0]).toBe(5);
  });

  it('limits on-the-spot decisions to warnings and small fines (Art. 51)', async () => {
    const opened = await act('POST', `${recording}/cases`, officers.a.token, {
      domain: 'market-regulation',
      regionCode: '310101',
      procedure: 'simplified',
      party: { kind: 'natural-person', name: '张某', identifier: '11010519491231002X', contact: {} },
      allegedViolation: '占道经营',
      legalBasis: '《上海市市容环境卫生管理条例》',
      coOfficerIds: [officers.b.id],
      occurredAt: iso(Date.now() - 10 * 60_000),
    });
    const simplified = opened.body['id'] as string;
    const decide = (fen: number) =>
      act('POST', `${recording}/cases/${simplified}/steps`, officers.a.token, {
        stepType: 'decision',
        occurredAt: iso(Date.now() - 60_000),
        place: '南京东路',
        fields: {
          penalties: [{ kind: 'fine', amountFen: fen }],
          decisionNumber: '当场-1',
          partyPresent: true,
          partySignature: 'signed',
          partyInformed: true,
        },
      });
    expect((await decide(30_000)).body.code).toBe('SIMPLIFIED_PROCEDURE_NOT_ALLOWED');
    expect((await decide(20_000)).status).toBe(201);
  });

  it('lists the cases a reader may see a page at a time, newest first: the agency, a supervisor of the division, nobody else', async () => {
    const ids = async (token: string, query = '') => {
      const page = await call('GET', `${recording}/cases${query}`, token);
      expect(page.status).toBe(200);
      return {
        ids: (page.body['items'] as Array<{ id: string }>).map((found) => found.id),
        next: page.body['nextCursor'] as string | null,
      };
    };
    const agencyCases = await ids(officers.a.token, '?limit=200');
    expect(agencyCases.ids).toContain(caseId);
    expect(agencyCases.ids.length).toBeGreaterThanOrEqual(8);

    // Walking the pages one case at a time gives the same cases in the same order, none twice.
    const walked: string[] = [];
    for (let cursor: string | null = ''; cursor !== null;) {
      const page = await ids(officers.a.token, `?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      walked.push(...page.ids);
      cursor = page.next;
    }
    expect(walked).toEqual(agencyCases.ids);

    const huangpuSupervisor = await platform.sign({
      userId: 'sup-sh',
      agencyId: 'sh-justice',
      roles: ['supervisor'],
      supervisedRegionCode: '310100',
    });
    const nanjingSupervisor = await platform.sign({
      userId: 'sup-nj',
      agencyId: 'nj-justice',
      roles: ['supervisor'],
      supervisedRegionCode: '320100',
    });
    expect((await ids(huangpuSupervisor, '?limit=200')).ids).toEqual(expect.arrayContaining(agencyCases.ids));
    expect((await ids(nanjingSupervisor)).ids).toEqual([]);
    expect((await ids(await platform.sign(sysadmin), '?limit=200')).ids).toEqual(expect.arrayContaining(agencyCases.ids));
    expect((await call('GET', `${recording}/cases?cursor=not-ours`, officers.a.token)).body['code']).toBe('VALIDATION_FAILED');
  });

  it('tells a malformed request what is wrong with it before checking certificates (not TOO_FEW_OFFICERS)', async () => {
    const noParty = await act('POST', `${recording}/cases`, officers.a.token, {
      domain: 'market-regulation',
      regionCode: '310101',
      procedure: 'general',
      allegedViolation: '销售超过保质期的食品',
      legalBasis: '《中华人民共和国食品安全法》第一百二十四条',
    });
    expect([noParty.status, noParty.body['code']]).toEqual([400, 'VALIDATION_FAILED']);

    // Identifiers are checked with their standards' check characters: a mistyped number is refused, not recorded.
    for (const party of [
      { kind: 'natural-person', name: '张某', identifier: '110105194912310029', contact: {} }, // wrong check character
      { kind: 'natural-person', name: '张某', identifier: '110105194902300024', contact: {} }, // 30 February
      { kind: 'natural-person', name: '张某', identifier: '11010519491231002', contact: {} }, // 17 characters
      { kind: 'organisation', name: '上海某某商行', identifier: '91310101MA1FL1234D', contact: {} }, // wrong check character
      { kind: 'organisation', name: '上海某某商行', identifier: '11010519491231002X', contact: {} }, // a person's number
    ]) {
      const refused = await act('POST', `${recording}/cases`, officers.a.token, {
        domain: 'market-regulation',
        regionCode: '310101',
        procedure: 'general',
        party,
        allegedViolation: '销售超过保质期的食品',
        legalBasis: '《中华人民共和国食品安全法》第一百二十四条',
        coOfficerIds: [officers.b.id],
      });
      expect([party.identifier, refused.status, JSON.stringify(refused.body['details'])]).toEqual([
        party.identifier,
        400,
        expect.stringContaining('party.identifier'),
      ]);
    }

    const badStep = await act('POST', `${recording}/cases/${caseId}/steps`, officers.a.token, {
      stepType: 'inspection',
      occurredAt: 'yesterday',
    });
    expect([badStep.status, badStep.body['code']]).toEqual([400, 'VALIDATION_FAILED']);

    // A typo of the year (0206 for 2026) is no time an administrative act can have happened.
    const ancient = await act('POST', `${recording}/cases/${caseId}/steps`, officers.a.token, {
      stepType: 'other',
      occurredAt: '0206-03-02T09:30:00+08:00',
      place: '上海市黄浦区',
      text: '补充记录',
    });
    expect([ancient.status, ancient.body['code'], JSON.stringify(ancient.body['details'])]).toEqual([
      400,
      'VALIDATION_FAILED',
      expect.stringContaining('occurredAt'),
    ]);
  });
});
