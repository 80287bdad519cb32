import { batchedTransaction, openDatabase } from '@enforcement/persistence';
import { createTestDatabase, type TestDatabase } from '@enforcement/testing';
import type { DataSource } from 'typeorm';
import { CERTIFICATE_READ_MODEL_ENTITIES, CERTIFICATE_READ_MODEL_MIGRATIONS } from '../../index';
import { CoOfficerProofEntity } from './co-officer-proof.entity';
import { CoOfficerProofRepository } from './co-officer-proof.repository';
import { CoOfficerProofReusedError, CoOfficerProofsService, type UnspentCoOfficerProofs } from './co-officer-proofs.service';

/** Proofs spent in an action's batched transaction on MariaDB, where their inserts wait for the action's statements. */
describe('co-officer proofs spent with the action, on MariaDB', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let service: CoOfficerProofsService;
  let sequence = 0;

  const proofs = (): UnspentCoOfficerProofs => {
    sequence += 1;
    return {
      rows: [
        {
          tokenKey: String(sequence).padStart(64, 'a'),
          officerId: 'li',
          callerId: 'wang',
          route: 'POST /cases/:caseId/steps',
          usedAt: new Date(),
          expiresAt: new Date(Date.now() + 600_000),
        },
      ],
      action: { officerIds: ['wang', 'li'], domain: 'market', regionCode: '310101', onSite: true },
      spent: false,
    };
  };
  const spentKeys = async () => (await dataSource.getRepository(CoOfficerProofEntity).find()).map((row) => row.tokenKey);
  const act = (given: UnspentCoOfficerProofs, action: () => Promise<string>) =>
    batchedTransaction(dataSource, (manager) => service.spendWith(manager, given, action));

  beforeAll(async () => {
    database = await createTestDatabase('certificates_co_officer_proofs');
    dataSource = await openDatabase({
      url: database.url,
      sqliteFile: '',
      entities: CERTIFICATE_READ_MODEL_ENTITIES,
      migrations: CERTIFICATE_READ_MODEL_MIGRATIONS,
    });
    service = new CoOfficerProofsService(new CoOfficerProofRepository(dataSource));
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  it('spends the proofs with the action, and refuses them on a replay when the action commits', async () => {
    const given = proofs();
    expect(await act(given, async () => 'recorded')).toBe('recorded');
    expect(given.spent).toBe(true);
    expect(await spentKeys()).toContain(given.rows[0].tokenKey);

    const replay = { ...given, spent: false };
    await expect(act(replay, async () => 'recorded again')).rejects.toBeInstanceOf(CoOfficerProofReusedError);
  });

  it("answers a replay as the replay when the action's own rules refuse it too, before anything else was sent", async () => {
    const given = proofs();
    await act(given, async () => 'recorded');

    const refusal = new Error('the step is refused by its rules');
    const answer = act({ ...given, spent: false }, () => Promise.reject(refusal));

    await expect(answer).rejects.toMatchObject({ refusal: expect.objectContaining({ code: 'CO_OFFICER_PROOF_REUSED', officerId: 'li' }) });
  });

  it("answers the action's own refusal, spending nothing, when the proof is fresh", async () => {
    const given = proofs();
    const refusal = new Error('the step is refused by its rules');

    await expect(act(given, () => Promise.reject(refusal))).rejects.toBe(refusal);
    expect(await spentKeys()).not.toContain(given.rows[0].tokenKey);
    expect(await act({ ...given, spent: false }, async () => 'recorded later')).toBe('recorded later');
  });
});
