import type { INestApplication } from '@nestjs/common';
import { LocalIssuer, type AuthenticatedUser } from '@enforcement/auth';
import { InProcessBroker } from '@enforcement/events';
import { FieldCipher } from '@enforcement/field-cipher';
import { withCheckCharacter } from '@enforcement/identifiers';
import { loadServiceConfig, startService } from '@enforcement/service-runtime';
import { createTestDatabase, type TestDatabase } from '@enforcement/testing';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { certificatesService } from '../service';
import { rotateCertificatesFieldKey } from './rotate-field-key';

const OLD_KEY = randomBytes(32);
const NEW_KEY = randomBytes(32);
const sysadmin: AuthenticatedUser = { userId: 'sysadmin', agencyId: '', roles: ['system-admin'] };
const ID_OLD = withCheckCharacter('31010119800808111');
const ID_OLD_2 = withCheckCharacter('31010119800808222');
const ID_NEW = withCheckCharacter('31010119800808333');

/**
 * A key rotation on MariaDB, as docs/operations.md tells an operator to run it: officers registered under the
 * old key; the service restarted with the new key current and the old one previous; the rotation command; the
 * service restarted with the new key alone.
 */
describe('field key rotation in the certificates service', () => {
  let database: TestDatabase;
  let dataDir: string;
  let app: INestApplication | undefined;
  let issuer: LocalIssuer;
  let agencyId: string;

  const keys = (current: Buffer, previous: Buffer[] = []) => ({
    DATABASE_URL: database.url,
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    FIELD_ENCRYPTION_KEY: current.toString('base64'),
    FIELD_ENCRYPTION_PREVIOUS_KEYS: previous.map((key) => key.toString('base64')).join(','),
  });
  const restart = async (env: Record<string, string>) => {
    await app?.close();
    const config = loadServiceConfig(certificatesService.settings, env);
    const broker = new InProcessBroker();
    app = await startService(certificatesService, { config, broker, listen: false });
    broker.open();
    issuer = LocalIssuer.fromConfig(config.auth);
  };
  const running = () => {
    if (!app) throw new Error('the service is not running');
    return app;
  };
  const http = () => request(running().getHttpServer());
  const auth = async () => `Bearer ${await issuer.sign(sysadmin, { ttlSeconds: 600 })}`;
  const register = async (idNumber: string, name: string) =>
    http()
      .post(`/agencies/${agencyId}/officers`)
      .set('authorization', await auth())
      .send({ name, idNumber, roles: ['officer'] });
  const importRoster = async (idNumber: string, certificateNumber: string) =>
    http()
      .post(`/agencies/${agencyId}/roster-imports?mode=valid-rows`)
      .set('authorization', await auth())
      .set('content-type', 'text/csv')
      .send(
        [
          'name,id_number,roles,certificate_number,issuing_authority,domains,region_codes,valid_from,valid_until',
          `甲,${idNumber},officer,${certificateNumber},上海市人民政府,market-regulation,310101,2026-01-01,2030-12-31`,
        ].join('\n'),
      );
  const stored = async (): Promise<{ id: string; id_number_encrypted: string; id_number_index: string }[]> =>
    running().get(DataSource).query('SELECT id, id_number_encrypted, id_number_index FROM officers ORDER BY id');

  beforeAll(async () => {
    database = await createTestDatabase('certificates_key_rotation');
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'certificates-rotation-'));
    await restart(keys(OLD_KEY));
    const agency = await http()
      .post('/agencies')
      .set('authorization', await auth())
      .send({
        name: '轮换测试机关',
        creditCode: '11310101MB2F00001A',
        regionCode: '310101',
        domains: ['market-regulation'],
        legalBasis: '《行政处罚法》',
      });
    expect(agency.status).toBe(201);
    agencyId = agency.body.id;
    expect((await register(ID_OLD, '旧一')).status).toBe(201);
    expect((await register(ID_OLD_2, '旧二')).status).toBe(201);
  });

  afterAll(async () => {
    await app?.close();
    await database?.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('during the rotation still refuses a person registered under the old key, by registration and by roster import', async () => {
    await restart(keys(NEW_KEY, [OLD_KEY]));

    const again = await register(ID_OLD, '旧一');
    expect(again.status).toBe(409);
    expect(again.body).toEqual({ code: 'OFFICER_EXISTS', message: expect.any(String) });
    const imported = await importRoster(ID_OLD_2, 'SH-ROT-0001');
    expect(imported.body).toMatchObject({ imported: 0, rejected: 1 });
    expect(imported.body.rows[0].problems.map((p: { code: string }) => p.code)).toEqual(['OFFICER_EXISTS']);
    expect((await register(ID_NEW, '新一')).status).toBe(201);

    const rows = await stored();
    const onlyNew = new FieldCipher(NEW_KEY);
    expect(rows.filter((row) => row.id_number_index === onlyNew.blindIndex(ID_NEW, 'officers.id_number'))).toHaveLength(1);
    expect(rows.filter((row) => row.id_number_index === new FieldCipher(OLD_KEY).blindIndex(ID_OLD, 'officers.id_number'))).toHaveLength(1);
  });

  it('moves every row to the new key with the command, idempotently, so the new key alone reads them', async () => {
    const progress: number[] = [];
    const { reports } = await rotateCertificatesFieldKey(keys(NEW_KEY, [OLD_KEY]), { batchSize: 1, onBatch: (p) => progress.push(p.rows) });

    expect(reports).toEqual([
      expect.objectContaining({ table: 'officers', rows: 3, rewritten: 2, reencrypted: 2, reindexed: 2, failed: [] }),
    ]);
    expect(progress).toEqual([1, 2, 3]);
    const onlyNew = new FieldCipher(NEW_KEY);
    const numbers = (await stored()).map((row) => {
      const idNumber = onlyNew.decrypt(row.id_number_encrypted, `officers.id_number:${row.id}`);
      expect(row.id_number_index).toBe(onlyNew.blindIndex(idNumber, 'officers.id_number'));
      return idNumber;
    });
    expect(numbers.sort()).toEqual([ID_OLD, ID_OLD_2, ID_NEW].sort());

    const { reports: again } = await rotateCertificatesFieldKey(keys(NEW_KEY, [OLD_KEY]));
    expect(again[0]).toMatchObject({ rows: 3, rewritten: 0 });
  });

  it('with the old key removed, still refuses every registered person and reports a row it cannot read', async () => {
    await restart(keys(NEW_KEY));

    for (const idNumber of [ID_OLD, ID_OLD_2, ID_NEW]) expect((await register(idNumber, '重复')).body.code).toBe('OFFICER_EXISTS');
    expect((await importRoster(ID_OLD, 'SH-ROT-0002')).body.rows[0].problems[0].code).toBe('OFFICER_EXISTS');

    const [first] = await stored();
    const lost = new FieldCipher(OLD_KEY).encrypt(ID_OLD, `officers.id_number:${first.id}`);
    await running().get(DataSource).query('UPDATE officers SET id_number_encrypted = ? WHERE id = ?', [lost, first.id]);
    const { reports } = await rotateCertificatesFieldKey(keys(NEW_KEY));
    expect(reports[0]).toMatchObject({ rows: 3, rewritten: 0, failed: [first.id] });
  });
});
