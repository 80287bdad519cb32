import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { decodeJwt, decodeProtectedHeader, type JSONWebKeySet } from 'jose';
import type { AuthenticatedUser } from './authenticated-user';
import { LOCAL_ISSUER_FILES, LocalIssuer } from './local-issuer';
import { TokenVerifier } from './token-verifier';

const ISSUER = 'enforcement-platform';
const AUDIENCE = 'enforcement-platform';
const officer: AuthenticatedUser = { userId: 'alice', agencyId: '330100-amr', roles: ['officer'] };

describe(LocalIssuer.name, () => {
  let dir: string;

  function issuerAt(folder = dir): LocalIssuer {
    return new LocalIssuer({ dir: folder, issuer: ISSUER, audience: AUDIENCE });
  }

  function verifier(): TokenVerifier {
    return new TokenVerifier({ issuer: ISSUER, audience: AUDIENCE, verification: { kind: 'local', dir } });
  }

  beforeEach(async () => {
    dir = path.join(await mkdtemp(path.join(tmpdir(), 'auth-issuer-')), 'auth');
  });

  afterEach(async () => {
    await rm(path.dirname(dir), { recursive: true, force: true });
  });

  it('creates an ES256 key pair on first use: a private key only its owner can read, the public key and a JWKS', async () => {
    const sut = issuerAt();

    const token = await sut.sign(officer, { ttlSeconds: 3600 });

    expect((await readdir(dir)).sort()).toEqual(Object.values(LOCAL_ISSUER_FILES).sort());
    expect((await stat(path.join(dir, LOCAL_ISSUER_FILES.privateKey))).mode & 0o777).toBe(0o600);
    expect(await readFile(path.join(dir, LOCAL_ISSUER_FILES.privateKey), 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect(await readFile(path.join(dir, LOCAL_ISSUER_FILES.publicKey), 'utf8')).toMatch(/^-----BEGIN PUBLIC KEY-----/);
    const jwks = JSON.parse(await readFile(path.join(dir, LOCAL_ISSUER_FILES.jwks), 'utf8')) as JSONWebKeySet;
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig' });
    expect(jwks.keys[0]).not.toHaveProperty('d');
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'ES256', kid: jwks.keys[0].kid, typ: 'JWT' });
  });

  it('signs the user with issuer, audience and lifetime from its options', async () => {
    const sut = issuerAt();
    const supervisor: AuthenticatedUser = {
      userId: 'sup-1',
      agencyId: '330000-justice',
      roles: ['supervisor'],
      supervisedRegionCode: '330000',
      name: '王五',
    };

    const claims = decodeJwt(await sut.sign(supervisor, { ttlSeconds: 900 }));

    expect(claims).toMatchObject({
      iss: ISSUER,
      aud: AUDIENCE,
      sub: 'sup-1',
      agency_id: '330000-justice',
      roles: ['supervisor'],
      supervised_region: '330000',
      name: '王五',
    });
    expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBe(900);
    expect(claims.jti).toEqual(expect.any(String));
    await expect(verifier().verify(await sut.sign(supervisor, { ttlSeconds: 900 }))).resolves.toEqual(supervisor);
  });

  it('reuses the persisted key pair in later instances instead of making a new one', async () => {
    const first = await issuerAt().sign(officer, { ttlSeconds: 60 });
    const privateKey = await readFile(path.join(dir, LOCAL_ISSUER_FILES.privateKey), 'utf8');

    const sut = issuerAt();
    const second = await sut.sign(officer, { ttlSeconds: 60 });

    expect(await readFile(path.join(dir, LOCAL_ISSUER_FILES.privateKey), 'utf8')).toBe(privateKey);
    expect(decodeProtectedHeader(second).kid).toBe(decodeProtectedHeader(first).kid);
    expect((await sut.verificationKey()).kid).toBe(decodeProtectedHeader(first).kid);
    await expect(verifier().verify(first)).resolves.toEqual(officer);
  });

  it('ends up with one key when many instances start at once', async () => {
    const instances = Array.from({ length: 12 }, () => issuerAt());

    const tokens = await Promise.all(instances.map((sut) => sut.sign(officer, { ttlSeconds: 60 })));

    expect(new Set(tokens.map((token) => decodeProtectedHeader(token).kid)).size).toBe(1);
    expect((await readdir(dir)).sort()).toEqual(Object.values(LOCAL_ISSUER_FILES).sort());
    const sut = verifier();
    for (const token of tokens) await expect(sut.verify(token)).resolves.toEqual(officer);
  });

  it('refuses to sign a user the verifier would refuse, or a lifetime that is not positive', async () => {
    const sut = issuerAt();

    await expect(sut.sign({ ...officer, agencyId: '' }, { ttlSeconds: 60 })).rejects.toThrow(/agency id is required/);
    await expect(sut.sign({ ...officer, roles: [] }, { ttlSeconds: 60 })).rejects.toThrow(/at least one role/);
    await expect(sut.sign(officer, { ttlSeconds: 0 })).rejects.toThrow(/ttlSeconds/);
  });

  it('refuses a key file that is not a P-256 private key rather than signing with it', async () => {
    const { privateKey } = generateKeyPairSync('ed25519');
    await rm(dir, { recursive: true, force: true });
    await issuerAt(dir).verificationKey(); // creates the folder
    await writeFile(path.join(dir, LOCAL_ISSUER_FILES.privateKey), privateKey.export({ type: 'pkcs8', format: 'pem' }));

    await expect(issuerAt().sign(officer, { ttlSeconds: 60 })).rejects.toThrow(/not an ES256 \(P-256\) private key/);
  });

  it('is built from an AuthConfig only in local mode', () => {
    expect(LocalIssuer.fromConfig({ issuer: ISSUER, audience: AUDIENCE, verification: { kind: 'local', dir } }).dir).toBe(dir);
    expect(() =>
      LocalIssuer.fromConfig({ issuer: ISSUER, audience: AUDIENCE, verification: { kind: 'jwks', url: 'https://idp/jwks' } }),
    ).toThrow(/kind "local"/);
  });
});
