import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { TokenRejectedError } from './auth-errors';
import type { AuthConfig } from './authenticated-user';
import { DemoTokenUsageError, issueDemoToken, parseTtl } from './demo-token';
import { TokenVerifier } from './token-verifier';

const root = path.resolve(__dirname, '../../../..');
const execFileAsync = promisify(execFile);

function localConfig(dataDir: string, issuer = 'enforcement-platform', audience = 'enforcement-platform'): AuthConfig {
  return { issuer, audience, verification: { kind: 'local', dir: path.join(dataDir, 'auth') } };
}

describe(issueDemoToken.name, () => {
  let dataDir: string;

  beforeEach(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'auth-demo-'));
  });

  afterEach(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('gives an officer of the named agency an 8-hour token that embedded services accept', async () => {
    const sut = await issueDemoToken(['alice', '--agency', '330100-amr'], { DATA_DIR: dataDir });

    await expect(new TokenVerifier(localConfig(dataDir)).verify(sut.token)).resolves.toEqual({
      userId: 'alice',
      agencyId: '330100-amr',
      roles: ['officer'],
    });
    const claims = decodeJwt(sut.token);
    expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBe(8 * 3600);
    expect(sut.keyDir).toBe(path.join(dataDir, 'auth'));
    expect(sut.expiresAt.getTime()).toBe((claims.exp ?? 0) * 1000);
    expect(sut.warnings).toEqual([]);
  });

  it('takes roles, lifetime, region and name from the options', async () => {
    const sut = await issueDemoToken(
      ['carol', '--agency=330000-justice', '--roles', 'supervisor, officer', '--ttl', '30m', '--region', '330000', '--name', '赵六'],
      { DATA_DIR: dataDir },
    );

    await expect(new TokenVerifier(localConfig(dataDir)).verify(sut.token)).resolves.toEqual({
      userId: 'carol',
      agencyId: '330000-justice',
      roles: ['supervisor', 'officer'],
      supervisedRegionCode: '330000',
      name: '赵六',
    });
    const claims = decodeJwt(sut.token);
    expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBe(1800);
  });

  it('lets a system-admin go without an agency', async () => {
    const sut = await issueDemoToken(['root', '--roles', 'system-admin'], { DATA_DIR: dataDir });

    expect(sut.user).toEqual({ userId: 'root', agencyId: '', roles: ['system-admin'] });
  });

  it('uses AUTH_ISSUER and AUTH_AUDIENCE when set, and warns when services trust another issuer', async () => {
    const env = { DATA_DIR: dataDir, AUTH_ISSUER: 'city-platform', AUTH_AUDIENCE: 'city-api', AUTH_JWKS_URL: 'https://idp/jwks' };

    const sut = await issueDemoToken(['alice', '--agency', 'a1'], env);

    await expect(new TokenVerifier(localConfig(dataDir, 'city-platform', 'city-api')).verify(sut.token)).resolves.toMatchObject({
      userId: 'alice',
    });
    await expect(new TokenVerifier(localConfig(dataDir)).verify(sut.token)).rejects.toBeInstanceOf(TokenRejectedError);
    expect(sut.warnings).toEqual([expect.stringMatching(/^AUTH_JWKS_URL is set/)]);
  });

  it.each([
    [[], /user id is missing/],
    [['alice'], /--agency <id> is required/],
    [['alice', 'bob', '--agency', 'a'], /one user id expected/],
    [['alice', '--agency', 'a', '--roles', 'officer,root'], /unknown roles: root/],
    [['alice', '--agency', 'a', '--roles', ','], /--roles is empty/],
    [['alice', '--agency', 'a', '--ttl', 'forever'], /--ttl must be/],
    [['alice', '--agency', 'a', '--roles', 'supervisor'], /--region <code> is required/],
    [['alice', '--agency', 'a', '--region', '33'], /6-digit/],
    [['alice', '--agency', 'a', '--colour', 'red'], /Unknown option '--colour'/],
  ])('refuses %j with a usage error', async (args, problem) => {
    const error = await issueDemoToken(args, { DATA_DIR: dataDir }).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(DemoTokenUsageError);
    expect((error as Error).message).toMatch(problem);
    expect((error as Error).message).toMatch(/usage: npm run -s token --/);
  });

  describe('as `npm run token` (scripts/token.ts)', () => {
    async function runScript(args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
      try {
        const { stdout, stderr } = await execFileAsync(process.execPath, ['scripts/run-ts.js', 'scripts/token.ts', ...args], {
          cwd: root,
          env: { ...process.env, DATA_DIR: dataDir, AUTH_JWKS_URL: '', AUTH_PUBLIC_KEY: '' },
        });
        return { stdout, stderr, code: 0 };
      } catch (error) {
        const failed = error as { stdout: string; stderr: string; code: number };
        return { stdout: failed.stdout, stderr: failed.stderr, code: failed.code };
      }
    }

    it('prints only the token on stdout, and the same key serves several processes started at once', async () => {
      const runs = await Promise.all(['alice', 'bob', 'carol', 'dave'].map((user) => runScript([user, '--agency', '330100-amr'])));

      const verifier = new TokenVerifier(localConfig(dataDir));
      for (const [index, run] of runs.entries()) {
        expect(run.code).toBe(0);
        expect(run.stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
        await expect(verifier.verify(run.stdout.trim())).resolves.toMatchObject({ userId: ['alice', 'bob', 'carol', 'dave'][index] });
      }
      expect(new Set(runs.map((run) => decodeProtectedHeader(run.stdout.trim()).kid)).size).toBe(1);
    });

    it('exits 2 with the problem and the usage on stderr, and nothing on stdout', async () => {
      const run = await runScript(['alice']);

      expect(run.code).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).toMatch(/--agency <id> is required/);
      expect(run.stderr).toMatch(/usage:/);
    });
  });
});

describe(parseTtl.name, () => {
  it.each([
    ['3600', 3600],
    ['90s', 90],
    ['30m', 1800],
    ['8h', 28_800],
    ['7d', 604_800],
  ])('reads %s as %i seconds', (text, seconds) => {
    expect(parseTtl(text)).toBe(seconds);
  });

  it.each(['0', '-5m', '1.5h', '8 hours', '', '400d'])('refuses %j', (text) => {
    expect(() => parseTtl(text)).toThrow(DemoTokenUsageError);
  });
});
