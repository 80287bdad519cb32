import type { INestApplication } from '@nestjs/common';
import { LocalIssuer, type AuthenticatedUser } from '@enforcement/auth';
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
import { DisclosureEntity } from '../disclosures/disclosure.entity';
import { publicityService } from '../service';
import { Events, leakyDecision, publishEvent, SEEDED } from '../test-support/publicity-fixtures';
import { rotatePublicityFieldKey } from './rotate-field-key';

const OLD_KEY = randomBytes(32);
const NEW_KEY = randomBytes(32);
const AGENCY = randomUUID();
const admin: AuthenticatedUser = { userId: randomUUID(), agencyId: AGENCY, roles: ['officer', 'agency-admin'] };

/**
 * A key rotation of the publicity service on MariaDB: a decision received under the old key, the service restarted
 * with the new key current and the old one previous, the rotation command, and the new key alone. The command's
 * context must be the one DisclosuresService seals with, or the reviewer could not read the original at the end.
 */
describe('field key rotation in the publicity service', () => {
  let database: TestDatabase;
  let dataDir: string;
  let app: INestApplication | undefined;
  let broker: InProcessBroker;
  let issuer: LocalIssuer;
  let disclosureId: string;

  const keys = (current: Buffer, previous: Buffer[] = []) => ({
    DATABASE_URL: database.url,
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    DISCLOSURE_CHECK_INTERVAL_MS: '0',
    FIELD_ENCRYPTION_KEY: current.toString('base64'),
    FIELD_ENCRYPTION_PREVIOUS_KEYS: previous.map((key) => key.toString('base64')).join(','),
  });
  const running = () => {
    if (!app) throw new Error('the service is not running');
    return app;
  };
  const restart = async (env: Record<string, string>) => {
    await app?.close();
    const config = loadServiceConfig(publicityService.settings, env);
    broker = new InProcessBroker();
    app = await startService(publicityService, { config, broker, listen: false });
    broker.open();
    issuer = LocalIssuer.fromConfig(config.auth);
  };
  /** The original as the reviewer reads it, decrypted by the running service. */
  const originalOf = async (id: string) => {
    const response = await request(running().getHttpServer())
      .get(`/disclosures/${id}`)
      .set('authorization', `Bearer ${await issuer.sign(admin, { ttlSeconds: 600 })}`);
    expect(response.status).toBe(200);
    return response.body.original as { decisionText: string; partyName: string };
  };
  const stored = async (): Promise<Array<{ id: string; original: string }>> =>
    running().get(DataSource).query('SELECT id, original FROM disclosures');

  beforeAll(async () => {
    database = await createTestDatabase('publicity_key_rotation');
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'publicity-rotation-'));
    await restart(keys(OLD_KEY));
    const init = leakyDecision(AGENCY);
    await publishEvent(broker, Events.DecisionIssued, init, { key: String(init.caseId), agencyId: AGENCY });
    const row = await running()
      .get(DataSource)
      .manager.findOneByOrFail(DisclosureEntity, { caseId: String(init.caseId) });
    disclosureId = row.id;
    expect(new FieldCipher(OLD_KEY).decryptJson<{ partyName: string }>(row.originalSealed, `disclosures.original:${row.id}`)).toEqual(
      expect.objectContaining({ partyName: SEEDED.personName }),
    );
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    await database?.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('reads the original under the old key once the new one is current, and the command moves it to the new key', async () => {
    await restart(keys(NEW_KEY, [OLD_KEY]));
    expect((await originalOf(disclosureId)).decisionText).toContain(SEEDED.residentId);

    const { reports } = await rotatePublicityFieldKey(keys(NEW_KEY, [OLD_KEY]));

    expect(reports).toEqual([expect.objectContaining({ table: 'disclosures', rows: 1, rewritten: 1, reencrypted: 1, failed: [] })]);
    const [row] = await stored();
    expect(new FieldCipher(NEW_KEY).decryptJson<{ partyName: string }>(row.original, `disclosures.original:${disclosureId}`)).toEqual(
      expect.objectContaining({ partyName: SEEDED.personName }),
    );
    expect(() => new FieldCipher(OLD_KEY).decryptJson(row.original, `disclosures.original:${disclosureId}`)).toThrow();
    expect((await rotatePublicityFieldKey(keys(NEW_KEY, [OLD_KEY]))).reports[0]).toMatchObject({ rows: 1, rewritten: 0 });
  });

  it('serves the original with the new key alone after the rotation', async () => {
    await restart(keys(NEW_KEY));

    expect((await originalOf(disclosureId)).decisionText).toContain(SEEDED.residentId);
    expect((await rotatePublicityFieldKey(keys(NEW_KEY))).reports[0]).toMatchObject({ rows: 1, rewritten: 0, failed: [] });
  });

  it('reports a value under a key it was not given, and leaves it as it is', async () => {
    const stranger = randomBytes(32);
    const [before] = await stored();

    const { reports } = await rotatePublicityFieldKey(keys(stranger));

    expect(reports[0]).toMatchObject({ rows: 1, rewritten: 0, failed: [disclosureId] });
    expect((await stored())[0].original).toBe(before.original);
    expect((await originalOf(disclosureId)).partyName).toBe(SEEDED.personName);
  });
});
