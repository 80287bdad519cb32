import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { exportJWK, SignJWT, UnsecuredJWT, type JSONWebKeySet } from 'jose';
import { KeySourceUnavailableError, TokenRejectedError, type TokenRejectionCode } from './auth-errors';
import type { AuthConfig, TokenVerification } from './authenticated-user';
import { LocalIssuer } from './local-issuer';
import { nowSeconds, signTestToken, TEST_AUDIENCE, TEST_ISSUER, testClaims, testKeys, type TestKeys } from './test-support/test-tokens';
import { TokenVerifier } from './token-verifier';

function config(verification: TokenVerification): AuthConfig {
  return { issuer: TEST_ISSUER, audience: TEST_AUDIENCE, verification };
}

async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject');
}

async function expectRejected(promise: Promise<unknown>, code: TokenRejectionCode): Promise<void> {
  const error = await rejectionOf(promise);
  expect(error).toBeInstanceOf(TokenRejectedError);
  expect((error as TokenRejectedError).code).toBe(code);
}

describe(TokenVerifier.name, () => {
  describe('with a configured public key', () => {
    let keys: TestKeys;
    let sut: TokenVerifier;

    beforeAll(async () => {
      keys = await testKeys('ES256');
      sut = new TokenVerifier(config({ kind: 'public-key', pem: keys.publicPem }));
    });

    it('accepts a good token and maps its claims to the user', async () => {
      const token = await signTestToken(keys, testClaims({ roles: ['officer', 'supervisor', 'officer'], supervised_region: '330000' }));

      await expect(sut.verify(token)).resolves.toEqual({
        userId: 'officer-0007',
        agencyId: '330100-amr',
        roles: ['officer', 'supervisor'],
        supervisedRegionCode: '330000',
        name: '张三',
      });
    });

    it('leaves out optional claims that are absent', async () => {
      const token = await signTestToken(keys, testClaims({ name: undefined }));

      const user = await sut.verify(token);

      expect(user).toEqual({ userId: 'officer-0007', agencyId: '330100-amr', roles: ['officer', 'reviewer'] });
    });

    it('tells which token it verified (jti, iat, exp), the same when it is verified again from memory', async () => {
      const claims = testClaims({ jti: 'proof-0001' });
      const token = await signTestToken(keys, claims);
      const facts = {
        user: { userId: 'officer-0007', agencyId: '330100-amr', roles: ['officer', 'reviewer'], name: '张三' },
        tokenId: 'proof-0001',
        issuedAt: claims.iat,
        expiresAt: claims.exp,
      };

      await expect(sut.verifyToken(token)).resolves.toEqual(facts);
      const again = await sut.verifyToken(token);
      expect(again).toEqual(facts);
      again.user.roles.push('system-admin');
      await expect(sut.verifyToken(token)).resolves.toEqual(facts);
      const untold = await sut.verifyToken(await signTestToken(keys, testClaims({ iat: undefined })));
      expect(untold).not.toHaveProperty('tokenId');
      expect(untold).not.toHaveProperty('issuedAt');
    });

    it('accepts a system-admin without an agency, as an empty agency id', async () => {
      const token = await signTestToken(keys, testClaims({ agency_id: undefined, roles: ['system-admin'] }));

      await expect(sut.verify(token)).resolves.toMatchObject({ agencyId: '', roles: ['system-admin'] });
    });

    it('tolerates 30 seconds of clock skew on expiry, not more', async () => {
      const justExpired = await signTestToken(keys, testClaims({ exp: nowSeconds() - 10 }));
      const expired = await signTestToken(keys, testClaims({ exp: nowSeconds() - 45 }));

      await expect(sut.verify(justExpired)).resolves.toMatchObject({ userId: 'officer-0007' });
      await expectRejected(sut.verify(expired), 'TOKEN_EXPIRED');
    });

    describe('a token verified once', () => {
      it('still expires on time (with the 30 s skew), and is refused from then on', async () => {
        let now = Date.now();
        const clocked = new TokenVerifier(config({ kind: 'public-key', pem: keys.publicPem }), () => now);
        const token = await signTestToken(keys, testClaims({ exp: Math.floor(now / 1000) + 60 }));

        await expect(clocked.verify(token)).resolves.toMatchObject({ userId: 'officer-0007' });
        now += 60_000 + 29_000;
        await expect(clocked.verify(token)).resolves.toMatchObject({ userId: 'officer-0007' });
        now += 2_000;
        await expectRejected(clocked.verify(token), 'TOKEN_EXPIRED');
      });

      it('does not vouch for a copy with another signature or other claims', async () => {
        const token = await signTestToken(keys, testClaims());
        await sut.verify(token);
        const [header, payload, signature] = token.split('.');
        const forgedClaims = Buffer.from(JSON.stringify({ ...testClaims(), roles: ['system-admin'], agency_id: '' })).toString('base64url');

        await expectRejected(sut.verify(`${header}.${forgedClaims}.${signature}`), 'TOKEN_INVALID');
        await expectRejected(sut.verify(`${header}.${payload}.${signature.slice(0, -4)}AAAA`), 'TOKEN_INVALID');
      });

      it('is not remembered when sent once (a proof of presence), and pushes no caller`s token out of memory', async () => {
        const fresh = new TokenVerifier(config({ kind: 'public-key', pem: keys.publicPem }));
        const bearer = await signTestToken(keys, testClaims());
        await fresh.verifyToken(bearer);
        expect(fresh.rememberedTokens).toBe(1);

        for (const jti of ['proof-0002', 'proof-0003']) {
          const proof = await signTestToken(keys, testClaims({ jti }));
          await expect(fresh.verifyToken(proof, { oneShot: true })).resolves.toMatchObject({ tokenId: jti });
          await expect(fresh.verifyToken(proof, { oneShot: true })).resolves.toMatchObject({ tokenId: jti });
        }
        await fresh.verifyToken(bearer);

        expect(fresh.rememberedTokens).toBe(1);
      });

      it('gives each caller its own copy of the user: a change to one does not reach the next request', async () => {
        const token = await signTestToken(keys, testClaims());
        const first = await sut.verify(token);
        first.roles.push('system-admin');
        first.agencyId = 'another-agency';

        await expect(sut.verify(token)).resolves.toMatchObject({ agencyId: '330100-amr', roles: ['officer', 'reviewer'] });
      });
    });

    it.each([
      ['a wrong issuer', { iss: 'https://evil.example.com' }],
      ['no issuer', { iss: undefined }],
      ['a wrong audience', { aud: 'another-platform' }],
      ['no expiry', { exp: undefined }],
      ['no subject', { sub: undefined }],
      ['an unknown role', { roles: ['officer', 'root'] }],
      ['roles that are not an array', { roles: 'officer' }],
      ['no roles at all', { roles: [] }],
      ['no agency for a non-system-admin', { agency_id: undefined }],
      ['an empty agency for a non-system-admin', { agency_id: '' }],
      ['a numeric agency id', { agency_id: 330100 }],
      ['a supervised region that is not 6 digits', { supervised_region: '33' }],
      ['a supervisor without a supervised region', { roles: ['supervisor'] }],
      ['a not-yet-valid token', { nbf: nowSeconds() + 3600 }],
    ])('refuses a token with %s', async (_case, overrides) => {
      const token = await signTestToken(keys, testClaims(overrides));

      await expectRejected(sut.verify(token), 'TOKEN_INVALID');
    });

    it('refuses a token valid for longer than the configured maximum, whatever it says, and from when it was issued', async () => {
      const strict = new TokenVerifier({ ...config({ kind: 'public-key', pem: keys.publicPem }), maxTokenLifetimeSeconds: 3600 });
      const issuedLongAgo = nowSeconds() - 7000;

      await expect(strict.verify(await signTestToken(keys, testClaims({ exp: nowSeconds() + 3500 })))).resolves.toBeDefined();
      await expectRejected(
        strict.verify(await signTestToken(keys, testClaims({ exp: nowSeconds() + 30 * 24 * 3600 }))),
        'TOKEN_LIFETIME_EXCEEDED',
      );
      await expectRejected(
        strict.verify(await signTestToken(keys, testClaims({ iat: issuedLongAgo, exp: nowSeconds() + 600 }))),
        'TOKEN_LIFETIME_EXCEEDED',
      );
      await expectRejected(
        strict.verify(await signTestToken(keys, testClaims({ iat: undefined, exp: nowSeconds() + 7200 }))),
        'TOKEN_LIFETIME_EXCEEDED',
      );
      // Without configuration, a working day at the most.
      await expectRejected(sut.verify(await signTestToken(keys, testClaims({ exp: nowSeconds() + 13 * 3600 }))), 'TOKEN_LIFETIME_EXCEEDED');
    });

    it('refuses a token signed with another key', async () => {
      const other = await testKeys('ES256');

      await expectRejected(sut.verify(await signTestToken(other)), 'TOKEN_INVALID');
    });

    it('refuses HS256, even with the public key as the shared secret (algorithm confusion)', async () => {
      const token = await new SignJWT(testClaims()).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode(keys.publicPem));

      await expectRejected(sut.verify(token), 'TOKEN_INVALID');
    });

    it('refuses an unsigned token (alg none)', async () => {
      const token = new UnsecuredJWT(testClaims()).encode();

      await expectRejected(sut.verify(token), 'TOKEN_INVALID');
    });

    it('refuses text that is not a JWT', async () => {
      await expectRejected(sut.verify('not-a-jwt'), 'TOKEN_INVALID');
    });

    it('refuses a token whose signature was cut off or tampered with', async () => {
      const [header, , signature] = (await signTestToken(keys)).split('.');
      const forgedPayload = Buffer.from(JSON.stringify(testClaims({ roles: ['system-admin'] }))).toString('base64url');

      await expectRejected(sut.verify(`${header}.${forgedPayload}.${signature}`), 'TOKEN_INVALID');
    });

    it('refuses a PEM that is not a public key when constructed', () => {
      expect(() => new TokenVerifier(config({ kind: 'public-key', pem: 'not a key' }))).toThrow(/PEM public key/);
    });
  });

  describe('with an Ed25519 public key', () => {
    it('accepts EdDSA tokens under both alg names and refuses other algorithms', async () => {
      const keys = await testKeys('EdDSA');
      const sut = new TokenVerifier(config({ kind: 'public-key', pem: keys.publicPem }));
      const es256 = await testKeys('ES256');

      await expect(sut.verify(await signTestToken(keys))).resolves.toMatchObject({ userId: 'officer-0007' });
      await expect(sut.verify(await signTestToken(keys, testClaims(), { alg: 'Ed25519' }))).resolves.toMatchObject({
        userId: 'officer-0007',
      });
      await expectRejected(sut.verify(await signTestToken(es256)), 'TOKEN_INVALID');
    });
  });

  describe('with an RSA public key', () => {
    it('accepts RS256 tokens', async () => {
      const keys = await testKeys('RS256');
      const sut = new TokenVerifier(config({ kind: 'public-key', pem: keys.publicPem }));

      await expect(sut.verify(await signTestToken(keys))).resolves.toMatchObject({ userId: 'officer-0007' });
    });
  });

  describe('with a JWKS URL', () => {
    let server: Server;
    let url: string;
    let keys: TestKeys;
    let response: { status: number; body: string };
    let requests: number;

    async function jwksOf(...sets: Array<{ keys: TestKeys; kid: string }>): Promise<JSONWebKeySet> {
      return {
        keys: await Promise.all(
          sets.map(async (set) => ({ ...(await exportJWK(set.keys.publicKey)), kid: set.kid, alg: set.keys.alg, use: 'sig' })),
        ),
      };
    }

    beforeAll(async () => {
      keys = await testKeys('ES256');
      server = createServer((_request, res) => {
        requests++;
        res.writeHead(response.status, { 'content-type': 'application/json' }).end(response.body);
      });
      server.listen(0, '127.0.0.1');
      await once(server, 'listening');
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`;
    });

    afterAll(async () => {
      server.close();
      await once(server, 'close');
    });

    beforeEach(async () => {
      requests = 0;
      const rsa = await testKeys('RS256');
      response = { status: 200, body: JSON.stringify(await jwksOf({ keys: rsa, kid: 'rsa-1' }, { keys, kid: 'ec-1' })) };
    });

    it('picks the key by kid, maps the claims, and caches the key set', async () => {
      const sut = new TokenVerifier(config({ kind: 'jwks', url }));
      const token = await signTestToken(keys, testClaims(), { kid: 'ec-1' });

      await expect(sut.verify(token)).resolves.toMatchObject({ userId: 'officer-0007', roles: ['officer', 'reviewer'] });
      await expect(sut.verify(token)).resolves.toMatchObject({ userId: 'officer-0007' });
      expect(requests).toBe(1);
    });

    it('refuses a token whose kid is not in the key set', async () => {
      const sut = new TokenVerifier(config({ kind: 'jwks', url }));
      const token = await signTestToken(await testKeys('ES256'), testClaims(), { kid: 'unknown' });

      await expectRejected(sut.verify(token), 'TOKEN_INVALID');
    });

    it('refuses a token signed by another key under a published kid', async () => {
      const sut = new TokenVerifier(config({ kind: 'jwks', url }));
      const token = await signTestToken(await testKeys('ES256'), testClaims(), { kid: 'ec-1' });

      await expectRejected(sut.verify(token), 'TOKEN_INVALID');
    });

    it('refuses HS256 even when the key set publishes a symmetric key', async () => {
      const secret = new TextEncoder().encode('a-shared-secret-of-at-least-32-bytes!!');
      response = {
        status: 200,
        body: JSON.stringify({ keys: [{ kty: 'oct', k: Buffer.from(secret).toString('base64url'), kid: 'hs', alg: 'HS256' }] }),
      };
      const sut = new TokenVerifier(config({ kind: 'jwks', url }));
      const token = await new SignJWT(testClaims()).setProtectedHeader({ alg: 'HS256', kid: 'hs' }).sign(secret);

      await expectRejected(sut.verify(token), 'TOKEN_INVALID');
    });

    it('reports the key source, not the token, when the JWKS endpoint fails', async () => {
      response = { status: 500, body: 'oops' };
      const sut = new TokenVerifier(config({ kind: 'jwks', url }));
      const token = await signTestToken(keys, testClaims(), { kid: 'ec-1' });

      expect(await rejectionOf(sut.verify(token))).toBeInstanceOf(KeySourceUnavailableError);
    });

    it('reports the key source when the JWKS endpoint serves something that is not a key set', async () => {
      response = { status: 200, body: JSON.stringify({ keys: 'none today' }) };
      const sut = new TokenVerifier(config({ kind: 'jwks', url }));
      const token = await signTestToken(keys, testClaims(), { kid: 'ec-1' });

      expect(await rejectionOf(sut.verify(token))).toBeInstanceOf(KeySourceUnavailableError);
    });

    it('reports the key source when nothing listens at the JWKS URL', async () => {
      const closed = createServer();
      closed.listen(0, '127.0.0.1');
      await once(closed, 'listening');
      const port = (closed.address() as AddressInfo).port;
      closed.close();
      await once(closed, 'close');
      const sut = new TokenVerifier(config({ kind: 'jwks', url: `http://127.0.0.1:${port}/jwks.json` }));

      const error = await rejectionOf(sut.verify(await signTestToken(keys, testClaims(), { kid: 'ec-1' })));

      expect(error).toBeInstanceOf(KeySourceUnavailableError);
    });
  });

  describe('with the local issuer', () => {
    let dir: string;

    beforeEach(async () => {
      dir = await mkdtemp(path.join(tmpdir(), 'auth-verifier-'));
    });

    afterEach(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it("accepts the local issuer's tokens and refuses tokens from another folder's key", async () => {
      const issuer = new LocalIssuer({ dir, issuer: TEST_ISSUER, audience: TEST_AUDIENCE });
      const otherDir = path.join(dir, 'other');
      const stranger = new LocalIssuer({ dir: otherDir, issuer: TEST_ISSUER, audience: TEST_AUDIENCE });
      const sut = new TokenVerifier(config({ kind: 'local', dir }));
      const user = { userId: 'alice', agencyId: '330100-amr', roles: ['agency-admin' as const], name: '李四' };

      await expect(sut.verify(await issuer.sign(user, { ttlSeconds: 60 }))).resolves.toEqual(user);
      // Said as such: the usual cause is `npm run token` run with another DATA_DIR.
      await expectRejected(sut.verify(await stranger.sign(user, { ttlSeconds: 60 })), 'TOKEN_KEY_UNKNOWN');
    });

    it('refuses a token for another audience', async () => {
      const issuer = new LocalIssuer({ dir, issuer: TEST_ISSUER, audience: 'someone-else' });
      const sut = new TokenVerifier(config({ kind: 'local', dir }));

      const token = await issuer.sign({ userId: 'alice', agencyId: 'a', roles: ['officer'] }, { ttlSeconds: 60 });

      await expectRejected(sut.verify(token), 'TOKEN_INVALID');
    });
  });
});
