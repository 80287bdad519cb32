import type { INestApplication } from '@nestjs/common';
import { LOCAL_ISSUER_FILES, LocalIssuer, TokenVerifier, type AuthenticatedUser } from '@enforcement/auth';
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { importPKCS8, SignJWT, type JWTPayload } from 'jose';
import request from 'supertest';
import type { App } from 'supertest/types';
import { DataSource } from 'typeorm';
import {
  asUser,
  certificateFacts,
  seedCertificates,
  startCertificateCheckApp,
  type CertificateCheckApp,
} from '../../test-support/certificate-check-app';
import { PENALTY_LAW_ART_42 } from '../check/certificate-refusal-code';
import { CertificateRefusalEntity } from '../refusals/certificate-refusal.entity';
import { CoOfficerProofEntity } from './co-officer-proof.entity';
import { CO_OFFICER_TOKENS_HEADER } from './co-officer-proofs.service';

const officer = (userId: string, agencyId = 'agency-huangpu'): AuthenticatedUser => ({ userId, agencyId, roles: ['officer'] });

/** Art. 42 in the certificate guard: a named co-officer counts only with their own fresh token, spent once. */
describe('co-officer proofs of presence', () => {
  let checkApp: CertificateCheckApp;
  let app: INestApplication<App>;

  beforeAll(async () => {
    checkApp = await startCertificateCheckApp();
    app = checkApp.app;
    await seedCertificates(app, [
      certificateFacts({ id: 'c-zhang', officerId: 'zhang' }),
      certificateFacts({ id: 'c-li', officerId: 'li' }),
      certificateFacts({ id: 'c-sun', officerId: 'sun' }),
    ]);
  });

  afterAll(async () => {
    await app?.close();
  });

  const refusals = () => app.get(DataSource).getRepository(CertificateRefusalEntity);
  const spent = () => app.get(DataSource).getRepository(CoOfficerProofEntity);
  beforeEach(() => refusals().clear());

  const proof = (user: AuthenticatedUser, ttlSeconds = 300) => checkApp.issuer.sign(user, { ttlSeconds });
  /** A token signed with the app's own key but claims the issuer would never write (expired, old, without jti). */
  const handMade = async (claims: JWTPayload) => {
    const dir = (checkApp.auth.verification as { dir: string }).dir;
    const key = await importPKCS8(fs.readFileSync(path.join(dir, LOCAL_ISSUER_FILES.privateKey), 'utf8'), 'ES256');
    const { kid } = await checkApp.issuer.verificationKey();
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ agency_id: 'agency-huangpu', roles: ['officer'], jti: randomUUID(), iat: now, exp: now + 300, ...claims })
      .setProtectedHeader({ alg: 'ES256', kid })
      .setIssuer(checkApp.auth.issuer)
      .setAudience(checkApp.auth.audience)
      .sign(key);
  };
  const inspect = (coOfficerIds: string[], proofs?: string[], caller = 'zhang') => {
    const call = request(app.getHttpServer())
      .post('/cases/case-huangpu/inspections')
      .set(asUser({ userId: caller }));
    if (proofs !== undefined) call.set(CO_OFFICER_TOKENS_HEADER, proofs.join(','));
    return call.send({ coOfficerIds });
  };
  const expectRefused = async (response: request.Response, code: string, officerId: string | undefined, reason?: RegExp) => {
    expect(response.status).toBe(403);
    expect(response.body).toEqual({
      code,
      message: expect.stringMatching(/[\u4e00-\u9fff]/),
      details: expect.objectContaining({ article: PENALTY_LAW_ART_42, ...(officerId ? { officerId } : {}) }),
    });
    if (reason) expect(response.body.details.reason).toMatch(reason);
    // Kept for supervisors like every refusal of the check.
    expect(await refusals().find()).toEqual([
      expect.objectContaining({ code, userId: 'zhang', officerIds: expect.arrayContaining(['zhang']) }),
    ]);
  };

  it("lets the step through with each co-officer's own fresh token, and spends the tokens", async () => {
    const [li, sun] = [await proof(officer('li')), await proof(officer('sun'))];
    const remembered = app.get(TokenVerifier).rememberedTokens;
    const response = await inspect(['li', 'sun'], [li, sun]).expect(201);

    // Sent once, never again: not kept among the verified tokens the verifier trusts from memory.
    expect(app.get(TokenVerifier).rememberedTokens).toBe(remembered);

    expect(response.body.presented.map((shown: { officerId: string }) => shown.officerId)).toEqual(['zhang', 'li', 'sun']);
    expect(await spent().findBy({ callerId: 'zhang', route: 'POST /cases/:caseId/inspections' })).toEqual(
      expect.arrayContaining([expect.objectContaining({ officerId: 'li' }), expect.objectContaining({ officerId: 'sun' })]),
    );
  });

  it('refuses a named co-officer who sent no proof (the second officer never signed in)', async () => {
    await expectRefused(await inspect(['li']), 'CO_OFFICER_UNCONFIRMED', 'li');
    await refusals().clear();
    await expectRefused(await inspect(['li', 'sun'], [await proof(officer('li'))]), 'CO_OFFICER_UNCONFIRMED', 'sun');
  });

  it('refuses a proof of another officer than the one named', async () => {
    await expectRefused(await inspect(['li'], [await proof(officer('sun'))]), 'CO_OFFICER_PROOF_INVALID', 'sun', /not a named co-officer/);
  });

  it("refuses the caller's own token passed as the co-officer's", async () => {
    await expectRefused(await inspect(['li'], [await proof(officer('zhang'))]), 'CO_OFFICER_PROOF_INVALID', 'zhang', /caller's own token/);
    await refusals().clear();
    const own = await proof(officer('zhang'));
    const sameToken = await request(app.getHttpServer())
      .post('/cases/case-huangpu/inspections')
      .set(asUser({ userId: 'zhang' }))
      .set('authorization', `Bearer ${own}`)
      .set(CO_OFFICER_TOKENS_HEADER, own)
      .send({ coOfficerIds: ['li'] });
    expect(sameToken.status).toBe(403);
    expect(sameToken.body.details.reason).toMatch(/caller's own token/);
  });

  it('refuses a proof whose token claims another agency, even for the named officer', async () => {
    await expectRefused(await inspect(['li'], [await proof(officer('li', 'agency-pudong'))]), 'CO_OFFICER_PROOF_INVALID', 'li', /agency/);
  });

  it('refuses an expired proof, one issued too long ago, one without an id, and one without the officer role', async () => {
    const now = Math.floor(Date.now() / 1000);
    await expectRefused(
      await inspect(['li'], [await handMade({ sub: 'li', iat: now - 900, exp: now - 60 })]),
      'CO_OFFICER_PROOF_INVALID',
      undefined,
      /TOKEN_EXPIRED/,
    );
    await refusals().clear();
    await expectRefused(
      await inspect(['li'], [await handMade({ sub: 'li', iat: now - 3600, exp: now + 600 })]),
      'CO_OFFICER_PROOF_INVALID',
      'li',
      /issued more than 600 s ago/,
    );
    await refusals().clear();
    await expectRefused(await inspect(['li'], [await handMade({ sub: 'li', jti: undefined })]), 'CO_OFFICER_PROOF_INVALID', 'li', /jti/);
    await refusals().clear();
    await expectRefused(
      await inspect(['li'], [await handMade({ sub: 'li', roles: ['reviewer'] })]),
      'CO_OFFICER_PROOF_INVALID',
      'li',
      /not an officer/,
    );
  });

  it('refuses a proof minted with another key, and a forged one', async () => {
    const elsewhere = new LocalIssuer({
      dir: fs.mkdtempSync(path.join(os.tmpdir(), 'other-key-')),
      issuer: checkApp.auth.issuer,
      audience: checkApp.auth.audience,
    });
    await expectRefused(
      await inspect(['li'], [await elsewhere.sign(officer('li'), { ttlSeconds: 300 })]),
      'CO_OFFICER_PROOF_INVALID',
      undefined,
      /TOKEN_KEY_UNKNOWN/,
    );
    await refusals().clear();
    const genuine = await proof(officer('sun'));
    const [header, , signature] = genuine.split('.');
    const forgedPayload = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(genuine.split('.')[1], 'base64url').toString()), sub: 'li' }),
    ).toString('base64url');
    await expectRefused(
      await inspect(['li'], [`${header}.${forgedPayload}.${signature}`]),
      'CO_OFFICER_PROOF_INVALID',
      undefined,
      /TOKEN_INVALID/,
    );
  });

  it('refuses a replayed proof: one token confirms one action', async () => {
    const li = await proof(officer('li'));
    await inspect(['li'], [li]).expect(201);

    await expectRefused(await inspect(['li'], [li]), 'CO_OFFICER_PROOF_REUSED', 'li');
    // By another caller too: the proof is spent, not bound to the first caller.
    const other = await inspect(['li'], [li], 'sun');
    expect(other.status).toBe(403);
    expect(other.body.code).toBe('CO_OFFICER_PROOF_REUSED');
  });

  it('spends all proofs of an action or none: a refused action leaves the fresh proof usable', async () => {
    const sunUsed = await proof(officer('sun'));
    await inspect(['sun'], [sunUsed]).expect(201);
    const li = await proof(officer('li'));

    expect((await inspect(['li', 'sun'], [li, sunUsed])).body.code).toBe('CO_OFFICER_PROOF_REUSED');
    await inspect(['li', 'sun'], [li, await proof(officer('sun'))]).expect(201);
  });

  it('asks nothing of an officer acting alone, nor a proof of the caller named as their own co-officer', async () => {
    await request(app.getHttpServer())
      .post('/cases/case-huangpu/notes')
      .set(asUser({ userId: 'zhang' }))
      .expect(201);
    expect((await inspect(['zhang'])).body.code).toBe('TOO_FEW_OFFICERS');
  });

  describe("spent with the action ('with-action': in the handler's transaction)", () => {
    const visit = (proofs: string[], body: { refuse?: boolean } = {}, route = 'visits') =>
      request(app.getHttpServer())
        .post(`/cases/case-huangpu/${route}`)
        .set(asUser({ userId: 'zhang' }))
        .set(CO_OFFICER_TOKENS_HEADER, proofs.join(','))
        .send({ coOfficerIds: ['li'], ...body });

    it('spends the proof with the action and refuses it on a replay, kept for supervisors', async () => {
      const li = await proof(officer('li'));
      await visit([li]).expect(201);
      expect(await spent().findBy({ route: 'POST /cases/:caseId/visits' })).toEqual([expect.objectContaining({ officerId: 'li' })]);

      await expectRefused(await visit([li]), 'CO_OFFICER_PROOF_REUSED', 'li');
      expect((await refusals().find())[0]).toMatchObject({
        route: 'POST /cases/:caseId/visits',
        officerIds: ['zhang', 'li'],
        onSite: true,
      });
    });

    it('spends nothing when the action is refused after the check: the same proof confirms the next one', async () => {
      const li = await proof(officer('li'));
      const spentBefore = await spent().count();
      const refused = await visit([li], { refuse: true });

      expect([refused.status, refused.body.code]).toEqual([422, 'STEP_NOT_ALLOWED']);
      expect(await spent().count()).toBe(spentBefore);
      await visit([li]).expect(201);
      expect(await refusals().find()).toEqual([]);
    });

    it('lets one of two concurrent actions with the same proof through, and refuses the other', async () => {
      const li = await proof(officer('li'));
      const answers = await Promise.all([visit([li]), visit([li])]);

      expect(answers.map((answer) => answer.status).sort()).toEqual([201, 403]);
      expect(answers.find((answer) => answer.status === 403)?.body.code).toBe('CO_OFFICER_PROOF_REUSED');
    });

    it('refuses a proof spent at the check of another route, and the other way round', async () => {
      const first = await proof(officer('li'));
      await inspect(['li'], [first]).expect(201);
      await expectRefused(await visit([first]), 'CO_OFFICER_PROOF_REUSED', 'li');
      await refusals().clear();

      const second = await proof(officer('li'));
      await visit([second]).expect(201);
      await expectRefused(await inspect(['li'], [second]), 'CO_OFFICER_PROOF_REUSED', 'li');
    });

    it('fails a handler that returns without spending the proofs it was given', async () => {
      const response = await visit([await proof(officer('li'))], {}, 'forgotten-visits');

      expect(response.status).toBe(500);
    });
  });
});
