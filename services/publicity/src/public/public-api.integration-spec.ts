import type { AuthenticatedUser } from '@enforcement/auth';
import { chinaDayOf } from '@enforcement/calendar';
import { Events, recordingV1, timestampFromDate } from '@enforcement/contracts';
import { startServiceForTest, type ServiceUnderTest } from '@enforcement/service-testing';
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import request from 'supertest';
import type { App } from 'supertest/types';
import { DataSource } from 'typeorm';
import { verifyDisclosure, type LeafProof } from '../disclosure-core/disclosure-leaf';
import { DisclosureEntity } from '../disclosures/disclosure.entity';
import { DailyRootsService } from '../merkle/daily-roots.service';
import { publicityService } from '../service';
import { decisionIssued, leakyDecision, publishEvent, SEEDED } from '../test-support/publicity-fixtures';

const AGENCY_A = randomUUID();
const AGENCY_B = randomUUID();
const adminA: AuthenticatedUser = { userId: randomUUID(), agencyId: AGENCY_A, roles: ['officer', 'agency-admin'] };
const adminB: AuthenticatedUser = { userId: randomUUID(), agencyId: AGENCY_B, roles: ['officer', 'agency-admin'] };
const OFFICER_ID = randomUUID();

describe('the public API on MariaDB', () => {
  let sut: ServiceUnderTest;
  let dataSource: DataSource;
  const logLines: string[] = [];
  const http = () => request(sut.app.getHttpServer() as App);
  const auth = async (user: AuthenticatedUser) => ({ authorization: `Bearer ${await sut.tokenFor(user)}` });
  /** Every public body this suite saw, for the leak scan. */
  const publicBodies: string[] = [];
  const get = async (path: string, status = 200) => {
    const response = await http().get(path).expect(status);
    publicBodies.push(response.text);
    return response;
  };
  const ids: Record<string, string> = {};

  async function publish(init: ReturnType<typeof decisionIssued>, user: AuthenticatedUser, otherPersons: string[] = []): Promise<string> {
    await publishEvent(sut.broker, Events.DecisionIssued, init, { key: String(init.caseId), agencyId: String(init.agencyId) });
    const row = await dataSource.manager.findOneByOrFail(DisclosureEntity, { caseId: String(init.caseId) });
    if (row.status === 'pending-review') {
      await http()
        .post(`/disclosures/${row.id}/approval`)
        .set(await auth(user))
        .send({ otherPersons })
        .expect(200);
    }
    return row.id;
  }

  beforeAll(async () => {
    const capture = new Writable({
      write(chunk: Buffer, _encoding, done) {
        logLines.push(chunk.toString());
        done();
      },
    });
    sut = await startServiceForTest(
      publicityService,
      { DISCLOSURE_CHECK_INTERVAL_MS: '0', LOG_LEVEL: 'trace', PUBLIC_API_RATE_LIMIT: '1000' },
      { logDestination: capture },
    );
    dataSource = sut.app.get(DataSource);
    for (const [id, name] of [
      [AGENCY_A, '上海市黄浦区市场监督管理局（测试）'],
      [AGENCY_B, '上海市徐汇区市场监督管理局（测试）'],
    ]) {
      await publishEvent(
        sut.broker,
        Events.AgencyRegistered,
        {
          agencyId: id,
          name,
          creditCode: '11310101MB2F1234XK',
          regionCode: '310101',
          domains: ['market-regulation'],
          legalBasis: '《中华人民共和国食品安全法》',
        },
        { key: id },
      );
    }
    await publishEvent(
      sut.broker,
      Events.OfficerRegistered,
      { officerId: OFFICER_ID, agencyId: AGENCY_A, name: '执法员甲', roles: ['officer'] },
      { key: OFFICER_ID },
    );
    await publishEvent(
      sut.broker,
      Events.CertificateIssued,
      {
        certificateId: randomUUID(),
        certificateNumber: 'SH-HP-T001',
        officerId: OFFICER_ID,
        agencyId: AGENCY_A,
        issuingAuthority: '上海市人民政府',
        terms: {
          domains: ['market-regulation'],
          regionCodes: ['310101'],
          validFrom: timestampFromDate(new Date('2025-01-01T00:00:00+08:00')),
          validUntil: timestampFromDate(new Date('2030-01-01T00:00:00+08:00')),
          validFromDate: '2025-01-01',
          validUntilDate: '2029-12-31',
        },
      },
      { key: OFFICER_ID },
    );

    // The leak test's parties: a natural person with every kind of personal data, and its witnesses.
    ids.leaky = await publish(leakyDecision(AGENCY_A), adminA, [SEEDED.thirdParty2]);
    ids.leakyWithdrawn = await publish(leakyDecision(AGENCY_A), adminA, [SEEDED.thirdParty2]);
    ids.licence = await publish(
      decisionIssued({
        agencyId: AGENCY_A,
        violation: '未取得食品经营许可从事食品经营活动',
        decidedAt: timestampFromDate(new Date('2026-03-02T10:00:00+08:00')),
      }),
      adminA,
    );
    ids.other = await publish(
      decisionIssued({
        agencyId: AGENCY_B,
        violation: '销售不合格的电动自行车',
        penalties: [
          { kind: 'fine', amountFen: 2_000_000n, description: '' },
          { kind: 'confiscation', amountFen: 300_000n, description: '' },
        ],
        decidedAt: timestampFromDate(new Date('2026-04-10T10:00:00+08:00')),
      }),
      adminB,
    );
    const minorCase = randomUUID();
    ids.minor = await publish(
      decisionIssued({
        caseId: minorCase,
        agencyId: AGENCY_A,
        party: { kind: recordingV1.PartyKind.NATURAL_PERSON, name: '未成年甲', isMinor: true },
        organisationCreditCode: '',
        decisionText: `当事人未成年甲，身份证${SEEDED.residentId2}`,
      }),
      adminA,
    );
    const withdrawn = await dataSource.manager.findOneByOrFail(DisclosureEntity, { id: ids.leakyWithdrawn });
    await publishEvent(
      sut.broker,
      Events.DecisionAltered,
      {
        caseId: withdrawn.caseId,
        decisionNumber: withdrawn.decisionNumber,
        kind: recordingV1.AlterationKind.REVOKED,
        reason: `经行政复议撤销。${SEEDED.thirdParty}提供了新证据`,
        alteredAt: timestampFromDate(new Date()),
      },
      { key: withdrawn.caseId },
    );
  });

  afterAll(async () => {
    await sut?.close();
  });

  it('lists published decisions newest first, a page at a time, without a token', async () => {
    const first = await get('/public/decisions?limit=2');
    expect(first.body.items).toHaveLength(2);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await get(`/public/decisions?limit=2&cursor=${first.body.nextCursor}`);
    const all = [...first.body.items, ...second.body.items].map((item: { id: string }) => item.id);
    expect(new Set(all).size).toBe(4);
    expect(all).not.toContain(ids.minor);
    await get('/public/decisions?cursor=bogus', 400);
  });

  it('finds a keyword inside a word, and filters by agency, domain, penalty kind and decision days', async () => {
    const found = async (query: string) => (await get(`/public/decisions?${query}`)).body.items.map((item: { id: string }) => item.id);
    expect(await found(`q=${encodeURIComponent('食品')}`)).toEqual(expect.arrayContaining([ids.licence, ids.leaky]));
    expect(await found(`q=${encodeURIComponent('经营许可')}`)).toContain(ids.licence);
    expect(await found(`q=${encodeURIComponent('电动')}`)).toEqual([ids.other]);
    expect(await found(`q=${encodeURIComponent('车')}`)).toEqual([ids.other]);
    expect(await found(`q=${encodeURIComponent('不存在的词')}`)).toEqual([]);
    expect(await found(`q=${encodeURIComponent('%')}`)).toEqual([]);
    expect(await found(`agencyId=${AGENCY_B}`)).toEqual([ids.other]);
    expect(await found('penaltyKind=confiscation')).toEqual([ids.other]);
    expect(await found('domain=market-regulation')).toHaveLength(4);
    expect(await found('from=2026-03-02&to=2026-03-02')).toEqual([ids.licence]);
    expect(await found(`q=${encodeURIComponent('食品')}&from=2026-03-01&to=2026-03-31`)).toEqual([ids.licence]);
    await get('/public/decisions?from=2026-13-01', 400);
    await get('/public/decisions?penaltyKind=罚款', 400);
  });

  it('shows a decision with ETag and Cache-Control, 304 when unchanged; a withdrawn one shows only its reason', async () => {
    const page = await get(`/public/decisions/${ids.leaky}`);
    expect(page.body.status).toBe('published');
    expect(page.headers['cache-control']).toBe('public, max-age=300');
    await http().get(`/public/decisions/${ids.leaky}`).set('if-none-match', page.headers.etag).expect(304);
    const withdrawn = await get(`/public/decisions/${ids.leakyWithdrawn}`);
    expect(withdrawn.body).toEqual(
      expect.objectContaining({ status: 'withdrawn', withdrawalReason: expect.stringMatching(/^该行政处罚决定已被撤销：经行政复议撤销/) }),
    );
    expect(withdrawn.body.record).toBeUndefined();
    const notPublic = await get(`/public/decisions/${ids.minor}`, 404);
    expect(notPublic.body.code).toBe('DECISION_NOT_PUBLIC');
    await get(`/public/decisions/${randomUUID()}`, 404);
    await get('/public/decisions/not-a-uuid', 400);
  });

  it('exports open data with the 双公示 fields as JSON and CSV', async () => {
    const json = await get('/public/open-data/decisions');
    const records = JSON.parse(json.text) as Array<Record<string, unknown>>;
    expect(records.map((r) => r.id).sort()).toEqual([ids.leaky, ids.licence, ids.other].sort());
    const other = records.find((r) => r.id === ids.other);
    expect(other).toEqual(
      expect.objectContaining({
        creditCode: '91310101MA1FL5LX3K',
        fineYuan: '20000.00',
        confiscationYuan: '3000.00',
        decidedOn: '2026-04-10',
      }),
    );
    const csv = await get('/public/open-data/decisions?format=csv');
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const lines = csv.text
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toBe(
      '相对人名称,统一社会信用代码,决定文书号,违法行为类型,处罚依据,处罚类别,处罚内容,罚款金额（元）,没收金额（元）,决定日期,处罚机关,公示截止期',
    );
    expect(lines).toHaveLength(4);
    await get('/public/open-data/decisions?format=xml', 400);
  });

  it('serves the agencies with their officer roster and verifies a certificate by number', async () => {
    const agencies = await get('/public/agencies');
    expect(agencies.body.items.map((a: { id: string }) => a.id)).toEqual(expect.arrayContaining([AGENCY_A, AGENCY_B]));
    const agency = await get(`/public/agencies/${AGENCY_A}`);
    expect(agency.body.officers).toEqual([
      expect.objectContaining({ number: 'SH-HP-T001', holderName: '执法员甲', status: 'active', domains: ['market-regulation'] }),
    ]);
    const certificate = await get('/public/certificates/SH-HP-T001');
    expect(certificate.body).toEqual(
      expect.objectContaining({ holderName: '执法员甲', agencyName: '上海市黄浦区市场监督管理局（测试）', status: 'active' }),
    );
    expect((await get('/public/certificates/NOPE', 404)).body.code).toBe('CERTIFICATE_NOT_FOUND');
    expect((await get(`/public/agencies/${randomUUID()}`, 404)).body.code).toBe('AGENCY_NOT_FOUND');
  });

  it('an agency administrator keeps what the agency publishes before enforcement; others are refused', async () => {
    const body = {
      text: '依法查处食品安全违法行为',
      items: [{ name: '食品经营许可证核发', detail: '对食品经营者的许可', legalBasis: '《中华人民共和国食品安全法》第三十五条' }],
    };
    const put = await http()
      .put(`/agencies/${AGENCY_A}/disclosures/powers-and-duties`)
      .set(await auth(adminA))
      .send(body)
      .expect(200);
    expect(put.body.version).toBe(1);
    await http()
      .put(`/agencies/${AGENCY_A}/disclosures/discretion-benchmark`)
      .set(await auth(adminA))
      .send({ items: [{ name: '销售过期食品', detail: '一般：货值金额十倍以上' }] })
      .expect(200);
    expect(
      (
        await http()
          .put(`/agencies/${AGENCY_A}/disclosures/powers-and-duties`)
          .set(await auth(adminA))
          .send(body)
          .expect(200)
      ).body.version,
    ).toBe(2);
    expect(
      (
        await http()
          .put(`/agencies/${AGENCY_A}/disclosures/powers-and-duties`)
          .set(await auth(adminB))
          .send(body)
          .expect(403)
      ).body.code,
    ).toBe('AGENCY_SCOPE');
    expect(
      (
        await http()
          .put(`/agencies/${AGENCY_A}/disclosures/secrets`)
          .set(await auth(adminA))
          .send(body)
          .expect(400)
      ).body.code,
    ).toBe('SECTION_UNKNOWN');
    await http()
      .put(`/agencies/${AGENCY_A}/disclosures/remedies`)
      .set(await auth({ ...adminA, roles: ['officer'] }))
      .send(body)
      .expect(403);
    await http()
      .put(`/agencies/${AGENCY_A}/disclosures/remedies`)
      .set(await auth(adminA))
      .send({ items: [{ detail: 'x' }] })
      .expect(400);
    const agency = await get(`/public/agencies/${AGENCY_A}`);
    expect(agency.body.sections.map((s: { section: string; title: string }) => [s.section, s.title])).toEqual([
      ['discretion-benchmark', '行政裁量基准'],
      ['powers-and-duties', '职责权限'],
    ]);
    expect(agency.body.sections[1]).toEqual(expect.objectContaining({ version: 2, text: body.text, items: [body.items[0]] }));
  });

  it('proves each disclosure against the day’s root offline; a record changed behind the service’s back fails', async () => {
    const today = chinaDayOf(new Date());
    const root = await sut.app.get(DailyRootsService).compute(today);
    expect(root.size).toBe(5); // four publications and one withdrawal
    expect((await get(`/public/roots/${today}`)).body.root).toBe(root.root);
    expect((await get('/public/roots')).body.items[0].day).toBe(today);
    await get('/public/roots/2026-02-30x', 400);
    expect((await get('/public/roots/2001-01-01', 404)).body.code).toBe('ROOT_NOT_FOUND');

    const decision = (await get(`/public/decisions/${ids.licence}`)).body;
    const proofs = (await get(`/public/decisions/${ids.licence}/proof`)).body.proofs as LeafProof[];
    expect(proofs).toHaveLength(1);
    expect(verifyDisclosure({ id: ids.licence, record: decision.record }, proofs[0], root.root)).toEqual({ ok: true, problems: [] });

    const withdrawn = (await get(`/public/decisions/${ids.leakyWithdrawn}`)).body;
    const withdrawnProofs = (await get(`/public/decisions/${ids.leakyWithdrawn}/proof`)).body.proofs as LeafProof[];
    const withdrawal = withdrawnProofs.find((p) => p.leaf.includes('"type":"withdrawn"'));
    expect(
      withdrawal && verifyDisclosure({ id: ids.leakyWithdrawn, withdrawalReason: withdrawn.withdrawalReason }, withdrawal, root.root).ok,
    ).toBe(true);

    // Someone with database access lowers the fine.
    const row = await dataSource.manager.findOneByOrFail(DisclosureEntity, { id: ids.licence });
    await dataSource.manager.update(
      DisclosureEntity,
      { id: ids.licence },
      { published: { ...(row.published as NonNullable<typeof row.published>), fineYuan: '1.00' } },
    );
    const changed = (await get(`/public/decisions/${ids.licence}`)).body;
    expect(changed.record.fineYuan).toBe('1.00');
    const again = (await get(`/public/decisions/${ids.licence}/proof`)).body.proofs as LeafProof[];
    expect(verifyDisclosure({ id: ids.licence, record: changed.record }, again[0], root.root)).toEqual({
      ok: false,
      problems: ['the published record differs from what was published that day'],
    });
  });

  it('serves each agency’s statistics of an ended year as JSON and CSV; the current year is refused', async () => {
    const late = await publish(
      decisionIssued({ agencyId: AGENCY_B, decidedAt: timestampFromDate(new Date('2025-06-03T10:00:00+08:00')) }),
      adminB,
    );
    expect(late).toEqual(expect.any(String));
    const stats = await get(`/public/statistics/2025?agencyId=${AGENCY_B}`);
    expect(stats.body.items).toEqual([
      expect.objectContaining({
        agencyName: '上海市徐汇区市场监督管理局（测试）',
        decisions: 1,
        published: 1,
        publishedOnTime: 0,
        fineYuan: '50000.00',
      }),
    ]);
    const csv = await get('/public/statistics/2025?format=csv');
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.text).toContain('上海市徐汇区市场监督管理局（测试）');
    expect((await get(`/public/statistics/${new Date().getFullYear()}`, 422)).body.code).toBe('STATISTICS_YEAR_NOT_ENDED');
    await get('/public/statistics/20x5', 400);
  });

  it('leak test: no seeded ID number, phone, bank card, address or third party’s name in any public response or the logs', async () => {
    await get(`/public/decisions?q=${encodeURIComponent(SEEDED.personName)}`);
    await get(`/public/decisions?q=${encodeURIComponent(SEEDED.residentId)}`);
    const secrets = [
      SEEDED.residentId,
      SEEDED.residentId2,
      SEEDED.phone,
      SEEDED.landline,
      SEEDED.landline.replace('-', ''),
      SEEDED.bankCard,
      SEEDED.address,
      '福州路666弄',
      SEEDED.thirdParty,
      SEEDED.thirdParty2,
      SEEDED.personName,
      SEEDED.health,
      '未成年甲',
    ];
    expect(publicBodies.length).toBeGreaterThan(30);
    const everything = [
      ...publicBodies,
      ...publicBodies.map((body) => {
        try {
          return JSON.stringify(JSON.parse(body));
        } catch {
          return body;
        }
      }),
    ];
    for (const secret of secrets) {
      const inBodies = everything.filter((body) => body.includes(secret) || body.includes(JSON.stringify(secret).slice(1, -1)));
      expect({ secret, inBodies: inBodies.length }).toEqual({ secret, inBodies: 0 });
      const inLogs = logLines.filter((line) => line.includes(secret));
      expect({ secret, inLogs }).toEqual({ secret, inLogs: [] });
    }
    expect(logLines.length).toBeGreaterThan(10);
  });
});

describe('the public API’s rate limit', () => {
  let sut: ServiceUnderTest;
  beforeAll(async () => {
    sut = await startServiceForTest(publicityService, { DISCLOSURE_CHECK_INTERVAL_MS: '0', PUBLIC_API_RATE_LIMIT: '3' });
  });
  afterAll(async () => {
    await sut?.close();
  });

  it('answers 429 past the limit per client and minute', async () => {
    const http = () => request(sut.app.getHttpServer() as App);
    for (let i = 0; i < 3; i++) await http().get('/public/decisions').expect(200);
    await http().get('/public/decisions').expect(429);
  });
});
