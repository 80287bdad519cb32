import type { INestApplication } from '@nestjs/common';
import { LocalIssuer, type AuthenticatedUser } from '@enforcement/auth';
import { CertificateDirectoryService, KnownCertificateEntity } from '@enforcement/certificates';
import { InProcessBroker } from '@enforcement/events';
import { FieldCipher } from '@enforcement/field-cipher';
import { loadServiceConfig, startService } from '@enforcement/service-runtime';
import { createTestDatabase, type TestDatabase } from '@enforcement/testing';
import { randomBytes, randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { recordingService } from '../service';
import { rotateRecordingFieldKey } from './rotate-field-key';

const OLD_KEY = randomBytes(32);
const NEW_KEY = randomBytes(32);
const AGENCY = randomUUID();
const officerA: AuthenticatedUser = { userId: randomUUID(), agencyId: AGENCY, roles: ['officer'] };
const officerB: AuthenticatedUser = { userId: randomUUID(), agencyId: AGENCY, roles: ['officer'] };
const PARTY = { kind: 'natural-person', name: '张某', identifier: '11010519491231002X', contact: { phone: '13800138000' } };

/**
 * A key rotation of the recording service on MariaDB: a case opened under the old key, the service restarted
 * with the new key current and the old one previous, the rotation command, and the new key alone. The command's
 * contexts must be those CasesService encrypts with, or the party would not read back at the end.
 */
describe('field key rotation in the recording service', () => {
  let database: TestDatabase;
  let dataDir: string;
  let app: INestApplication | undefined;
  let issuer: LocalIssuer;
  let caseId: string;

  const keys = (current: Buffer, previous: Buffer[] = []) => ({
    DATABASE_URL: database.url,
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    FIELD_ENCRYPTION_KEY: current.toString('base64'),
    FIELD_ENCRYPTION_PREVIOUS_KEYS: previous.map((key) => key.toString('base64')).join(','),
  });
  const running = () => {
    if (!app) throw new Error('the service is not running');
    return app;
  };
  const restart = async (env: Record<string, string>) => {
    await app?.close();
    const config = loadServiceConfig(recordingService.settings, env);
    const broker = new InProcessBroker();
    app = await startService(recordingService, { config, broker, listen: false });
    broker.open();
    issuer = LocalIssuer.fromConfig(config.auth);
    await running().get(CertificateDirectoryService, { strict: false }).pollNow();
  };
  const partyOf = async (id: string) => {
    const response = await request(running().getHttpServer())
      .get(`/cases/${id}`)
      .set('authorization', `Bearer ${await issuer.sign(officerA, { ttlSeconds: 600 })}`);
    expect(response.status).toBe(200);
    return response.body.party;
  };
  const stored = async (): Promise<{ case_id: string; identifier_encrypted: string; contact_encrypted: string }[]> =>
    running().get(DataSource).query('SELECT case_id, identifier_encrypted, contact_encrypted FROM case_parties');

  beforeAll(async () => {
    database = await createTestDatabase('recording_key_rotation');
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'recording-rotation-'));
    await restart(keys(OLD_KEY));
    const now = new Date();
    for (const officer of [officerA, officerB]) {
      await running()
        .get(DataSource)
        .manager.insert(KnownCertificateEntity, {
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
    await running().get(CertificateDirectoryService, { strict: false }).pollNow();
    const opened = await request(running().getHttpServer())
      .post('/cases')
      .set('authorization', `Bearer ${await issuer.sign(officerA, { ttlSeconds: 600 })}`)
      .set('x-co-officer-tokens', await issuer.sign(officerB, { ttlSeconds: 300 }))
      .send({
        domain: 'market-regulation',
        regionCode: '310101',
        procedure: 'general',
        party: PARTY,
        allegedViolation: '销售过期食品',
        legalBasis: '《中华人民共和国食品安全法》第一百二十四条',
        coOfficerIds: [officerB.userId],
      });
    expect(opened.status).toBe(201);
    caseId = opened.body.id;
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    await database?.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('reads the party under the old key once the new one is current, and the command moves it to the new key', async () => {
    await restart(keys(NEW_KEY, [OLD_KEY]));
    expect(await partyOf(caseId)).toMatchObject({ identifier: PARTY.identifier, contact: PARTY.contact });

    const { reports } = await rotateRecordingFieldKey(keys(NEW_KEY, [OLD_KEY]));

    expect(reports).toEqual([
      expect.objectContaining({ table: 'case_parties', rows: 1, rewritten: 1, reencrypted: 2, failed: [] }),
      // The case's state seal, keyed from the field key, moves to the new key too.
      expect.objectContaining({ table: 'cases', rows: 1, rewritten: 1, failed: [] }),
    ]);
    const onlyNew = new FieldCipher(NEW_KEY);
    const [row] = await stored();
    expect(onlyNew.decrypt(row.identifier_encrypted, `case_parties.identifier:${caseId}`)).toBe(PARTY.identifier);
    expect(onlyNew.decryptJson(row.contact_encrypted, `case_parties.contact:${caseId}`)).toEqual(PARTY.contact);
    const again = (await rotateRecordingFieldKey(keys(NEW_KEY, [OLD_KEY]))).reports;
    expect(again.map((report) => [report.table, report.rewritten])).toEqual([
      ['case_parties', 0],
      ['cases', 0],
    ]);
  });

  it('serves the party with the new key alone after the rotation', async () => {
    await restart(keys(NEW_KEY));

    expect(await partyOf(caseId)).toMatchObject({ identifier: PARTY.identifier, contact: PARTY.contact });
    expect((await rotateRecordingFieldKey(keys(NEW_KEY))).reports[0]).toMatchObject({ rows: 1, rewritten: 0, failed: [] });
    // The case's seal, moved to the new key, still holds: the case takes steps (a seal under the old key alone would not).
    const recorded = await request(running().getHttpServer())
      .post(`/cases/${caseId}/steps`)
      .set('authorization', `Bearer ${await issuer.sign(officerA, { ttlSeconds: 600 })}`)
      .send({ stepType: 'other', occurredAt: new Date().toISOString(), place: '上海市黄浦区', text: '轮换密钥后继续办理' });
    expect([recorded.status, recorded.body.code]).toEqual([201, undefined]);
  });
  it('seals a case written before seals existed once it matches its records, and lists one that does not (the upgrade)', async () => {
    const step = async () =>
      request(running().getHttpServer())
        .post(`/cases/${caseId}/steps`)
        .set('authorization', `Bearer ${await issuer.sign(officerA, { ttlSeconds: 600 })}`)
        .send({ stepType: 'other', occurredAt: new Date().toISOString(), place: '上海市黄浦区', text: '升级后继续办理' });
    const database = running().get(DataSource);
    // As migration 1764100003000 leaves a row: no seal; its procedure state is not trusted but folded from the records.
    await database.query('UPDATE cases SET state_seal = NULL, procedure_state = NULL WHERE id = ?', [caseId]);
    expect((await step()).body.code).toBe('CASE_STATE_TAMPERED');
    const [, sealed] = (await rotateRecordingFieldKey(keys(NEW_KEY))).reports;
    expect(sealed).toMatchObject({ table: 'cases', rewritten: 1, failed: [] });
    expect((await step()).status).toBe(201);

    // A legacy row edited before the upgrade is not sealed: its status is not what its records say.
    await database.query('UPDATE cases SET state_seal = NULL, legal_review_status = ? WHERE id = ?', ['approved', caseId]);
    const [, refused] = (await rotateRecordingFieldKey(keys(NEW_KEY))).reports;
    expect(refused).toMatchObject({ table: 'cases', rewritten: 0, failed: [caseId] });
    expect((await step()).body.code).toBe('CASE_STATE_TAMPERED');
  });
});
