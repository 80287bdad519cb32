import type { AuthenticatedUser } from '@enforcement/auth';
import { decodeEnvelope, decodePayload, Events } from '@enforcement/contracts';
import { OutboxEventEntity, TransactionalOutbox } from '@enforcement/events';
import { FieldCipher } from '@enforcement/field-cipher';
import { withCheckCharacter } from '@enforcement/identifiers';
import { startServiceForTest, type ServiceUnderTest } from '@enforcement/service-testing';
import { Writable } from 'node:stream';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { CertificateHistoryEntity } from '../certificates/certificate-history.entity';
import { CertificateEntity } from '../certificates/certificate.entity';
import { CertificatesService } from '../certificates/certificates.service';
import { certificatesService } from '../service';

const ID_A = withCheckCharacter('31010119850101123');
const ID_B = withCheckCharacter('31010619900909456');
const ID_C = withCheckCharacter('31010119770707789');

const sysadmin: AuthenticatedUser = { userId: 'sysadmin', agencyId: '', roles: ['system-admin'] };

/** The certificates service over HTTP on MariaDB, with its log lines captured. */
describe('certificates service', () => {
  let sut: ServiceUnderTest;
  const logLines: string[] = [];
  let agencyA: string;
  let agencyB: string;
  let adminA: AuthenticatedUser;
  const auth = async (user: AuthenticatedUser) => `Bearer ${await sut.tokenFor(user)}`;
  const http = () => request(sut.app.getHttpServer());

  const terms = { domains: ['market-regulation'], regionCodes: ['310101'], validFrom: '2026-01-01', validUntil: '2030-12-31' };

  async function registerOfficer(agencyId: string, idNumber: string, name = '王明', roles = ['officer']) {
    const response = await http()
      .post(`/agencies/${agencyId}/officers`)
      .set('authorization', await auth(sysadmin))
      .send({ name, idNumber, roles });
    expect(response.status).toBe(201);
    return response.body.id as string;
  }

  async function outboxEvents(type: string) {
    const rows = await sut.app
      .get(DataSource)
      .getRepository(OutboxEventEntity)
      .find({ where: { eventType: type } });
    return rows.map((row) => decodeEnvelope(row.payload));
  }

  beforeAll(async () => {
    const capture = new Writable({
      write(chunk: Buffer, _encoding, done) {
        logLines.push(chunk.toString());
        done();
      },
    });
    sut = await startServiceForTest(
      certificatesService,
      { LOG_LEVEL: 'trace', PUBLIC_VERIFY_RATE_LIMIT: '5' },
      { logDestination: capture },
    );
    const register = async (creditCode: string, regionCode: string) => {
      const response = await http()
        .post('/agencies')
        .set('authorization', await auth(sysadmin))
        .send({ name: `测试机关${regionCode}`, creditCode, regionCode, domains: ['market-regulation'], legalBasis: '《行政处罚法》' });
      expect(response.status).toBe(201);
      return response.body.id as string;
    };
    agencyA = await register('11310101MB2F00001A', '310101');
    agencyB = await register('11310106MB2F00002B', '310106');
    adminA = { userId: 'admin-a', agencyId: agencyA, roles: ['agency-admin'] };
  });

  afterAll(() => sut?.close());

  describe('who may manage what', () => {
    it('lets only a system administrator register agencies', async () => {
      const response = await http()
        .post('/agencies')
        .set('authorization', await auth(adminA))
        .send({ name: '越权机关', creditCode: '11310101MB2F00003C', regionCode: '310101', domains: ['x'], legalBasis: 'x' });
      expect(response.status).toBe(403);
      expect(response.body.code).toBe('ROLE_REQUIRED');
    });

    it('refuses an agency-admin of agency A on agency B, and lets them act on A', async () => {
      const onB = await http()
        .post(`/agencies/${agencyB}/officers`)
        .set('authorization', await auth(adminA))
        .send({ name: '张三', idNumber: ID_B, roles: ['officer'] });
      expect(onB.status).toBe(403);
      expect(onB.body).toEqual({ code: 'AGENCY_SCOPE', message: expect.any(String) });
      expect(
        (
          await http()
            .get(`/agencies/${agencyB}/officers`)
            .set('authorization', await auth(adminA))
        ).status,
      ).toBe(403);

      const onA = await http()
        .post(`/agencies/${agencyA}/officers`)
        .set('authorization', await auth(adminA))
        .send({ name: '张三', idNumber: ID_B, roles: ['officer'] });
      expect(onA.status).toBe(201);
    });

    it('refuses officers and anonymous callers on management endpoints', async () => {
      const officer: AuthenticatedUser = { userId: 'o', agencyId: agencyA, roles: ['officer'] };
      expect(
        (
          await http()
            .get(`/agencies/${agencyA}/officers`)
            .set('authorization', await auth(officer))
        ).status,
      ).toBe(403);
      expect((await http().get(`/agencies/${agencyA}/officers`)).status).toBe(401);
    });

    it('lets only a system administrator grant supervisor and system-admin roles', async () => {
      const response = await http()
        .post(`/agencies/${agencyA}/officers`)
        .set('authorization', await auth(adminA))
        .send({ name: '孙丽', idNumber: ID_C, roles: ['supervisor'], supervisedRegionCode: '310000' });
      expect(response.status).toBe(403);
      expect(response.body.code).toBe('ROLE_NOT_GRANTABLE');
    });
  });

  describe('legal reviewers (Art. 58)', () => {
    it('refuses the reviewer role without a legal professional qualification, grants it with one, and takes it back on withdrawal', async () => {
      const officerId = await registerOfficer(agencyA, withCheckCharacter('31010119920202111'), '陈静');
      const grant = () =>
        auth(adminA).then((token) =>
          http()
            .put(`/officers/${officerId}/roles`)
            .set('authorization', token)
            .send({ roles: ['officer', 'reviewer'] }),
        );

      const refused = await grant();
      expect(refused.status).toBe(422);
      expect(refused.body.code).toBe('REVIEW_QUALIFICATION_REQUIRED');

      const qualification = await http()
        .post(`/officers/${officerId}/review-qualification`)
        .set('authorization', await auth(adminA))
        .send({ qualificationNumber: 'A20153101000999', qualifiedOn: '2015-09-01' });
      expect(qualification.status).toBe(201);
      expect((await grant()).status).toBe(200);

      const withdrawn = await http()
        .delete(`/officers/${officerId}/review-qualification`)
        .set('authorization', await auth(adminA))
        .send({ reason: '资格被注销' });
      expect(withdrawn.status).toBe(204);
      const officer = await http()
        .get(`/officers/${officerId}`)
        .set('authorization', await auth(adminA));
      expect(officer.body.roles).toEqual(['officer']);
      const changes = await outboxEvents(Events.OfficerRolesChanged.schema.typeName);
      const last = decodePayload(Events.OfficerRolesChanged, changes[changes.length - 1]);
      expect(last).toMatchObject({ officerId, roles: ['officer'] });
    });
  });

  describe('certificate lifecycle', () => {
    let officerId: string;
    let certificateId: string;

    beforeAll(async () => {
      officerId = await registerOfficer(agencyA, ID_A);
      const issued = await http()
        .post(`/officers/${officerId}/certificates`)
        .set('authorization', await auth(adminA))
        .send({ ...terms, number: 'SH-T-0001', issuingAuthority: '上海市人民政府' });
      expect(issued.status).toBe(201);
      certificateId = issued.body.id;
    });

    it('issues with an event carrying the Shanghai-day validity instants', async () => {
      const [issued] = (await outboxEvents(Events.CertificateIssued.schema.typeName)).filter((e) => e.partitionKey === certificateId);
      const payload = decodePayload(Events.CertificateIssued, issued);
      expect(payload).toMatchObject({ certificateNumber: 'SH-T-0001', officerId, agencyId: agencyA });
      expect(payload.terms?.validUntilDate).toBe('2030-12-31');
      expect(new Date(Number(payload.terms?.validUntil?.seconds) * 1000).toISOString()).toBe('2030-12-31T16:00:00.000Z');
    });

    it('refuses a certificate beyond the agency powers and a duplicate number', async () => {
      const foreign = await http()
        .post(`/officers/${officerId}/certificates`)
        .set('authorization', await auth(adminA))
        .send({ ...terms, domains: ['ecology'], number: 'SH-T-0002', issuingAuthority: '上海市人民政府' });
      expect(foreign.body.code).toBe('CERTIFICATE_SCOPE_EXCEEDS_AGENCY');
      const duplicate = await http()
        .post(`/officers/${officerId}/certificates`)
        .set('authorization', await auth(adminA))
        .send({ ...terms, number: 'SH-T-0001', issuingAuthority: '上海市人民政府' });
      expect(duplicate.status).toBe(409);
      expect(duplicate.body.code).toBe('CERTIFICATE_NUMBER_EXISTS');
    });

    it('suspends, refuses a second suspension, reinstates and revokes, keeping every change with its reason', async () => {
      const post = async (action: string, reason: string) =>
        http()
          .post(`/certificates/${certificateId}/${action}`)
          .set('authorization', await auth(adminA))
          .send({ reason });

      expect((await post('suspension', '年度法律知识考试不合格')).body.status).toBe('suspended');
      const again = await post('suspension', '重复暂扣');
      expect(again.status).toBe(409);
      expect(again.body.code).toBe('CERTIFICATE_TRANSITION_NOT_ALLOWED');
      expect((await post('reinstatement', '补考合格')).body.status).toBe('active');
      expect((await post('revocation', '调离执法岗位')).body.status).toBe('revoked');

      const detail = await http()
        .get(`/certificates/${certificateId}`)
        .set('authorization', await auth(adminA));
      expect(
        detail.body.history.map((h: { action: string; toStatus: string; reason: string }) => [h.action, h.toStatus, h.reason]),
      ).toEqual([
        ['issue', 'active', '核发证件'],
        ['suspend', 'suspended', '年度法律知识考试不合格'],
        ['reinstate', 'active', '补考合格'],
        ['revoke', 'revoked', '调离执法岗位'],
      ]);
      const suspended = await outboxEvents(Events.CertificateSuspended.schema.typeName);
      expect(decodePayload(Events.CertificateSuspended, suspended[0])).toMatchObject({ certificateId, reason: '年度法律知识考试不合格' });
      expect((await outboxEvents(Events.CertificateRevoked.schema.typeName)).map((e) => e.partitionKey)).toContain(certificateId);
    });
  });

  describe('expiry at the end of the last valid day in Asia/Shanghai', () => {
    it('keeps the certificate active until 24:00 +08:00 of its last day and then expires it, once, with an event', async () => {
      const officerId = await registerOfficer(agencyA, withCheckCharacter('31010119930303222'), '赵六');
      const issued = await http()
        .post(`/officers/${officerId}/certificates`)
        .set('authorization', await auth(adminA))
        .send({ ...terms, validUntil: '2031-06-30', number: 'SH-T-EXP1', issuingAuthority: '上海市人民政府' });
      const id = issued.body.id as string;
      const service = sut.app.get(CertificatesService);
      const end = new Date('2031-06-30T16:00:00.000Z'); // 2031-07-01 00:00 in Shanghai

      expect(await service.expireDue(new Date(end.getTime() - 1))).toBe(0);
      expect(await service.expireDue(end)).toBeGreaterThanOrEqual(1);
      expect(await service.expireDue(end)).toBe(0);

      const detail = await http()
        .get(`/certificates/${id}`)
        .set('authorization', await auth(adminA));
      expect(detail.body.certificate.status).toBe('expired');
      expect(detail.body.history.at(-1)).toMatchObject({ action: 'expire', toStatus: 'expired', actorUserId: '' });
      const expired = (await outboxEvents(Events.CertificateExpired.schema.typeName)).filter((e) => e.partitionKey === id);
      expect(expired).toHaveLength(1);
    });

    describe('when two runs overlap (two replicas, or a job taken over mid-run)', () => {
      const end = new Date('2028-03-31T16:00:00.000Z'); // 2028-04-01 00:00 in Shanghai; every other certificate here lasts longer
      let outbox: TransactionalOutbox;
      let gate: { open(): void; opened: Promise<void> } | undefined;
      let waiting = 0;

      const issueExpiring = async (count: number, prefix: string, idNumber: string) => {
        const officerId = await registerOfficer(agencyA, withCheckCharacter(idNumber), '孙八');
        const ids: string[] = [];
        for (let i = 0; i < count; i++) {
          const issued = await http()
            .post(`/officers/${officerId}/certificates`)
            .set('authorization', await auth(adminA))
            .send({ ...terms, validUntil: '2028-03-31', number: `SH-T-${prefix}${i}`, issuingAuthority: '上海市人民政府' });
          expect(issued.status).toBe(201);
          ids.push(issued.body.id as string);
        }
        return ids;
      };

      beforeAll(() => {
        outbox = sut.app.get(TransactionalOutbox);
        const run = outbox.run.bind(outbox);
        // Holds every transaction at its start while a gate is set: each run has read its due list by then.
        jest.spyOn(outbox, 'run').mockImplementation(async (work) => {
          if (gate) {
            waiting++;
            await gate.opened;
          }
          return run(work);
        });
      });

      afterAll(() => jest.restoreAllMocks());

      const closeGateUntil = async (arrivals: number, whileHeld: () => Promise<void> = async () => undefined) => {
        let open = () => undefined as void;
        gate = { open: () => open(), opened: new Promise<void>((resolve) => (open = resolve)) };
        waiting = 0;
        return async () => {
          while (waiting < arrivals) await new Promise((resolve) => setTimeout(resolve, 5));
          await whileHeld();
          const held = gate;
          gate = undefined;
          held?.open();
        };
      };

      it('expires each certificate once, with exactly one history entry and one CertificateExpired event', async () => {
        const ids = await issueExpiring(4, 'RACE', '31010119940404111');
        const service = sut.app.get(CertificatesService);

        // Both runs read the same four due certificates before either expires one.
        const release = await closeGateUntil(2);
        const runs = Promise.all([service.expireDue(end), service.expireDue(end)]);
        await release();
        const [first, second] = await runs;

        expect(first + second).toBe(4);
        const dataSource = sut.app.get(DataSource);
        for (const id of ids) {
          expect(await dataSource.getRepository(CertificateEntity).findOneByOrFail({ id })).toMatchObject({ status: 'expired' });
          const history = await dataSource.getRepository(CertificateHistoryEntity).findBy({ certificateId: id, action: 'expire' });
          expect(history).toHaveLength(1);
        }
        const expired = (await outboxEvents(Events.CertificateExpired.schema.typeName)).filter((e) => ids.includes(e.partitionKey));
        expect(expired.map((e) => e.partitionKey).sort()).toEqual([...ids].sort());
      });

      it('leaves a certificate renewed after the run read it', async () => {
        const [id] = await issueExpiring(1, 'RENEW', '31010119940404222');
        const service = sut.app.get(CertificatesService);
        const dataSource = sut.app.get(DataSource);

        const release = await closeGateUntil(1, async () => {
          await dataSource
            .getRepository(CertificateEntity)
            .update({ id }, { validUntil: '2033-12-31', validUntilAt: new Date('2033-12-31T16:00:00.000Z') });
        });
        const run = service.expireDue(end);
        await release();

        expect(await run).toBe(0);
        expect(await dataSource.getRepository(CertificateEntity).findOneByOrFail({ id })).toMatchObject({ status: 'active' });
      });
    });
  });

  describe('roster import from CSV', () => {
    const header = 'name,id_number,roles,certificate_number,issuing_authority,domains,region_codes,valid_from,valid_until';
    const row = (name: string, base: string, number: string) =>
      `${name},${withCheckCharacter(base)},officer,${number},上海市人民政府,market-regulation,310106,2026-01-01,2030-12-31`;
    const csv = [
      header,
      row('甲', '31010619800101001', 'SH-R-0001'),
      '乙,310106198001010029,officer,SH-R-0002,上海市人民政府,market-regulation,310106,2026-01-01,2030-12-31',
      row('丙', '31010619800101003', 'SH-R-0003'),
    ].join('\n');
    const officerCount = async () =>
      Number((await sut.app.get(DataSource).query('SELECT COUNT(*) AS n FROM officers WHERE agency_id = ?', [agencyB]))[0].n);

    it('changes nothing when a row is bad, reporting each row', async () => {
      const before = await officerCount();
      const response = await http()
        .post(`/agencies/${agencyB}/roster-imports`)
        .set('authorization', await auth(sysadmin))
        .set('content-type', 'text/csv')
        .send(csv);

      expect(response.status).toBe(422);
      expect(response.body.code).toBe('ROSTER_HAS_ERRORS');
      expect(response.body.details.rows.map((r: { line: number; status: string }) => [r.line, r.status])).toEqual([
        [2, 'not-imported'],
        [3, 'rejected'],
        [4, 'not-imported'],
      ]);
      expect(response.body.details.rows[1].problems[0]).toMatchObject({ field: 'idNumber', code: 'INVALID_ID_NUMBER' });
      expect(await officerCount()).toBe(before);
    });

    it('imports the good rows only when asked, each with its certificate, and refuses them the second time', async () => {
      const before = await officerCount();
      const response = await http()
        .post(`/agencies/${agencyB}/roster-imports?mode=valid-rows`)
        .set('authorization', await auth(sysadmin))
        .set('content-type', 'text/csv')
        .send(csv);

      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ imported: 2, rejected: 1 });
      expect(await officerCount()).toBe(before + 2);
      const certificates = await sut.app
        .get(DataSource)
        .query("SELECT number FROM certificates WHERE number LIKE 'SH-R-%' ORDER BY number");
      expect(certificates.map((c: { number: string }) => c.number)).toEqual(['SH-R-0001', 'SH-R-0003']);

      const again = await http()
        .post(`/agencies/${agencyB}/roster-imports?mode=valid-rows`)
        .set('authorization', await auth(sysadmin))
        .set('content-type', 'text/csv')
        .send(csv);
      expect(again.body).toMatchObject({ imported: 0, rejected: 3 });
      expect(again.body.rows[0].problems.map((p: { code: string }) => p.code)).toEqual(['OFFICER_EXISTS', 'CERTIFICATE_NUMBER_EXISTS']);
    });
  });

  describe('public verification (亮证)', () => {
    beforeAll(async () => {
      const officerId = await registerOfficer(agencyA, withCheckCharacter('31010119940404333'), '钱七');
      await http()
        .post(`/officers/${officerId}/certificates`)
        .set('authorization', await auth(adminA))
        .send({ ...terms, number: 'SH-PUB-001', issuingAuthority: '上海市人民政府' });
    });

    it('answers anyone with holder, agency, domains, status and validity only', async () => {
      const response = await http().get('/public/certificates/SH-PUB-001').expect(200);
      expect(Object.keys(response.body).sort()).toEqual([
        'agencyName',
        'domains',
        'holderName',
        'number',
        'status',
        'validFrom',
        'validUntil',
      ]);
      expect(response.body).toMatchObject({ holderName: '钱七', status: 'active', validUntil: '2030-12-31' });
      const qr = await http().get('/public/certificates/SH-PUB-001/qr-payload').expect(200);
      expect(qr.body.payload).toBe('http://localhost:3001/public/certificates/SH-PUB-001');
    });

    it('answers an unknown number with a stable code, and limits the rate per client', async () => {
      const codes: number[] = [];
      for (let i = 0; i < 8; i++) codes.push((await http().get('/public/certificates/NO-SUCH')).status);
      expect(codes.slice(0, 3)).toEqual([404, 404, 404]);
      expect(codes).toContain(429);
      const limited = await http().get('/public/certificates/NO-SUCH');
      expect(limited.body).toEqual({ code: 'TOO_MANY_REQUESTS', message: expect.any(String) });
    });
  });

  it('stores the ID number encrypted, bound to its row, with a blind index beside it and nothing in clear', async () => {
    const idNumber = withCheckCharacter('31010119960606555');
    const officerId = await registerOfficer(agencyA, idNumber, '吴九');

    const [row] = await sut.app.get(DataSource).query('SELECT * FROM officers WHERE id = ?', [officerId]);

    expect(JSON.stringify(row)).not.toContain(idNumber.slice(0, 17));
    expect(row).not.toHaveProperty('id_number');
    expect(row.id_number_encrypted).toMatch(/^enc:v1:/);
    const cipher = sut.app.get(FieldCipher);
    expect(cipher.decrypt(row.id_number_encrypted, `officers.id_number:${officerId}`)).toBe(idNumber);
    expect(() => cipher.decrypt(row.id_number_encrypted, `officers.id_number:${agencyA}`)).toThrow('cannot decrypt');
    expect(row.id_number_index).toBe(cipher.blindIndex(idNumber, 'officers.id_number'));
    const shown = [
      await http()
        .get(`/officers/${officerId}`)
        .set('authorization', await auth(adminA)),
      await http()
        .get(`/agencies/${agencyA}/officers`)
        .set('authorization', await auth(adminA)),
    ]
      .map((response) => JSON.stringify(response.body))
      .join('');
    expect(shown).toContain(officerId);
    for (const hidden of ['idNumber', row.id_number_encrypted, row.id_number_index]) expect(shown).not.toContain(hidden);
  });

  it('lets one of two simultaneous registrations of a person in, and refuses the other with OFFICER_EXISTS', async () => {
    const idNumber = withCheckCharacter('31010119970707666');
    const registration = async () =>
      http()
        .post(`/agencies/${agencyA}/officers`)
        .set('authorization', await auth(adminA))
        .send({ name: '郑十', idNumber, roles: ['officer'] });

    const responses = await Promise.all([registration(), registration(), registration()]);

    expect(responses.map((r) => r.status).sort()).toEqual([201, 409, 409]);
    expect(responses.filter((r) => r.status === 409).map((r) => r.body.code)).toEqual(['OFFICER_EXISTS', 'OFFICER_EXISTS']);
    const created = responses.find((r) => r.status === 201)?.body;
    expect(Object.keys(created).sort()).toEqual(['agencyId', 'createdAt', 'id', 'name', 'roles', 'supervisedRegionCode']);
  });

  it('never writes an ID number to a log line or a response', async () => {
    const officerId = await registerOfficer(agencyA, withCheckCharacter('31010119950505444'), '周八');
    const responses = [
      await http()
        .get(`/officers/${officerId}`)
        .set('authorization', await auth(adminA)),
      await http()
        .get(`/agencies/${agencyA}/officers`)
        .set('authorization', await auth(adminA)),
      await http()
        .post(`/agencies/${agencyA}/officers`)
        .set('authorization', await auth(adminA))
        .send({ name: '周八', idNumber: withCheckCharacter('31010119950505444'), roles: ['officer'] }),
      await http()
        .post(`/agencies/${agencyA}/officers`)
        .set('authorization', await auth(adminA))
        .send({ name: '错号', idNumber: '31010119950505444X', roles: ['officer'] }),
    ];
    expect(responses.map((r) => r.status)).toEqual([200, 200, 409, 400]);
    const everything = logLines.join('') + responses.map((r) => JSON.stringify(r.body)).join('');
    expect(logLines.length).toBeGreaterThan(10);
    const events = (await sut.app.get(DataSource).getRepository(OutboxEventEntity).find())
      .map((row) => Buffer.from(row.payload).toString('utf8'))
      .join('');
    expect(events).toContain('周八');
    for (const id of [ID_A, ID_B, withCheckCharacter('31010119950505444'), '31010119950505444X']) {
      expect(everything).not.toContain(id);
      expect(events).not.toContain(id.slice(0, 17));
    }
  });
});
