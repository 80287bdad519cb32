import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { jwtVerify } from 'jose';
import { verifyCompactJwt, type CompactJwtChecks } from './compact-jwt';

const ISSUER = 'https://idp.example.gov.cn';
const AUDIENCE = 'enforcement-platform';
const NOW = Date.UTC(2026, 11, 1, 3, 0, 0);
const now = Math.floor(NOW / 1000);

const b64 = (text: string | Buffer) => Buffer.from(text).toString('base64url');

/** A token with exactly this header and payload text, signed as `alg` says (raw r‖s for ECDSA). */
function tokenOf(key: KeyObject, header: unknown, payload: unknown, options: { hash?: string | null; der?: boolean } = {}): string {
  const head = b64(typeof header === 'string' ? header : JSON.stringify(header));
  const body = Buffer.isBuffer(payload)
    ? payload.toString('base64url')
    : b64(typeof payload === 'string' ? payload : JSON.stringify(payload));
  const hash = options.hash === undefined ? 'sha256' : options.hash;
  const signature = sign(hash, Buffer.from(`${head}.${body}`), { key, dsaEncoding: options.der ? 'der' : 'ieee-p1363' });
  return `${head}.${body}.${signature.toString('base64url')}`;
}

const claims = (extra: Record<string, unknown> = {}) => ({
  iss: ISSUER,
  aud: AUDIENCE,
  sub: 'officer-1',
  iat: now - 60,
  exp: now + 600,
  ...extra,
});
const without = (claim: string) => Object.fromEntries(Object.entries(claims()).filter(([name]) => name !== claim));

type Outcome = { ok: true; payload: unknown } | { ok: false; error: string };

async function joseSays(token: string, key: KeyObject, algorithms: string[]): Promise<Outcome> {
  try {
    const { payload } = await jwtVerify(token, key, {
      issuer: ISSUER,
      audience: AUDIENCE,
      algorithms,
      requiredClaims: ['exp', 'sub'],
      clockTolerance: 30,
      currentDate: new Date(NOW),
    });
    return { ok: true, payload };
  } catch (error) {
    return { ok: false, error: (error as Error).constructor.name };
  }
}

function weSay(token: string, key: KeyObject, algorithms: string[]): Outcome {
  const checks: CompactJwtChecks = {
    issuer: ISSUER,
    audience: AUDIENCE,
    algorithms,
    requiredClaims: ['exp', 'sub'],
    clockToleranceSeconds: 30,
    now: NOW,
  };
  try {
    return { ok: true, payload: verifyCompactJwt(token, key, checks) };
  } catch (error) {
    return { ok: false, error: (error as Error).constructor.name };
  }
}

describe('verifyCompactJwt, held to jose', () => {
  const ec = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const otherEc = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const ed = generateKeyPairSync('ed25519');
  const es256 = { alg: 'ES256', typ: 'JWT' };
  const good = tokenOf(ec.privateKey, es256, claims());
  const [goodHead, goodBody, goodSignature] = good.split('.');

  // Each case: what the token is, and the token. jose's answer is the expected one.
  const cases: Array<[string, string]> = [
    ['a good token', good],
    ['an array audience that names us', tokenOf(ec.privateKey, es256, claims({ aud: ['other', AUDIENCE] }))],
    ['expired 29 s ago (within the skew)', tokenOf(ec.privateKey, es256, claims({ exp: now - 29 }))],
    ['expired 31 s ago', tokenOf(ec.privateKey, es256, claims({ exp: now - 31 }))],
    ['expiring exactly at the skew', tokenOf(ec.privateKey, es256, claims({ exp: now - 30 }))],
    ['valid from 29 s ahead', tokenOf(ec.privateKey, es256, claims({ nbf: now + 29 }))],
    ['valid from 31 s ahead', tokenOf(ec.privateKey, es256, claims({ nbf: now + 31 }))],
    ['no exp', tokenOf(ec.privateKey, es256, without('exp'))],
    ['no sub', tokenOf(ec.privateKey, es256, without('sub'))],
    ['no iss', tokenOf(ec.privateKey, es256, without('iss'))],
    ['no aud', tokenOf(ec.privateKey, es256, without('aud'))],
    ['another issuer', tokenOf(ec.privateKey, es256, claims({ iss: 'https://evil.example' }))],
    ['another audience', tokenOf(ec.privateKey, es256, claims({ aud: 'someone-else' }))],
    ['an array audience without us', tokenOf(ec.privateKey, es256, claims({ aud: ['a', 'b'] }))],
    ['a numeric audience', tokenOf(ec.privateKey, es256, claims({ aud: 7 }))],
    ['iat as text', tokenOf(ec.privateKey, es256, claims({ iat: String(now) }))],
    ['exp as text', tokenOf(ec.privateKey, es256, claims({ exp: String(now + 600) }))],
    ['nbf as text', tokenOf(ec.privateKey, es256, claims({ nbf: 'soon' }))],
    ['a payload that is an array', tokenOf(ec.privateKey, es256, [claims()])],
    ['a payload that is not JSON', tokenOf(ec.privateKey, es256, 'not json')],
    ['a payload that is not UTF-8', tokenOf(ec.privateKey, es256, Buffer.from([0x7b, 0xff, 0x7d]))],
    ['a header that is not JSON', tokenOf(ec.privateKey, '{alg', claims())],
    ['a header that is an array', tokenOf(ec.privateKey, ['ES256'], claims())],
    ['alg none', `${b64(JSON.stringify({ alg: 'none' }))}.${goodBody}.`],
    ['alg HS256', tokenOf(ec.privateKey, { alg: 'HS256' }, claims())],
    ['alg ES384 (not the key`s)', tokenOf(ec.privateKey, { alg: 'ES384' }, claims(), { hash: 'sha384' })],
    ['no alg', tokenOf(ec.privateKey, { typ: 'JWT' }, claims())],
    ['an alg named like an object property', tokenOf(ec.privateKey, { alg: 'toString' }, claims())],
    ['a signature of another key', tokenOf(otherEc.privateKey, es256, claims())],
    ['a DER signature', tokenOf(ec.privateKey, es256, claims(), { der: true })],
    ['a signature cut short', `${goodHead}.${goodBody}.${goodSignature.slice(0, -4)}`],
    ['no signature', `${goodHead}.${goodBody}.`],
    ['claims swapped under the signature', `${goodHead}.${b64(JSON.stringify(claims({ sub: 'admin' })))}.${goodSignature}`],
    ['two parts', `${goodHead}.${goodBody}`],
    ['four parts', `${good}.x`],
    ['an empty string', ''],
  ];

  it.each(cases)('answers %s as jose does', async (_what, token) => {
    expect(weSay(token, ec.publicKey, ['ES256'])).toEqual(await joseSays(token, ec.publicKey, ['ES256']));
  });

  it('answers EdDSA tokens as jose does: good, tampered, another algorithm', async () => {
    const edToken = tokenOf(ed.privateKey, { alg: 'EdDSA' }, claims(), { hash: null });
    const [head, body, signature] = edToken.split('.');
    for (const token of [
      edToken,
      tokenOf(ed.privateKey, { alg: 'Ed25519' }, claims(), { hash: null }),
      `${head}.${b64(JSON.stringify(claims({ sub: 'admin' })))}.${signature}`,
      `${head}.${body}.${signature.slice(0, -2)}`,
      tokenOf(ec.privateKey, es256, claims()),
    ]) {
      expect(weSay(token, ed.publicKey, ['EdDSA', 'Ed25519'])).toEqual(await joseSays(token, ed.publicKey, ['EdDSA', 'Ed25519']));
    }
  });

  it('is stricter than jose where no JWT issuer goes: crit and b64 headers, padded base64, stray characters', async () => {
    const strict: string[] = [
      tokenOf(ec.privateKey, { ...es256, crit: ['b64'], b64: true }, claims()),
      tokenOf(ec.privateKey, { ...es256, b64: true }, claims()),
      `${goodHead}.${goodBody}.${goodSignature}==`,
      // Node's decoder would skip these characters and find the good signature underneath.
      `${goodHead}.${goodBody}.${goodSignature.slice(0, 10)}.${goodSignature.slice(10)}`.replace(/\.(?=[^.]*$)/, '!'),
    ];
    for (const token of strict) expect(weSay(token, ec.publicKey, ['ES256'])).toMatchObject({ ok: false });
  });

  it('verifies only the algorithms it knows, whatever the caller lists', () => {
    const token = tokenOf(ec.privateKey, { alg: 'toString' }, claims());
    expect(weSay(token, ec.publicKey, ['toString', 'ES256'])).toEqual({ ok: false, error: 'JOSEAlgNotAllowed' });
  });

  it('asks about the header before the signature: a key id refused there is refused whatever the signature', () => {
    const token = tokenOf(otherEc.privateKey, { ...es256, kid: 'another-key' }, claims());
    expect(() =>
      verifyCompactJwt(token, ec.publicKey, {
        issuer: ISSUER,
        audience: AUDIENCE,
        algorithms: ['ES256'],
        requiredClaims: ['exp', 'sub'],
        clockToleranceSeconds: 30,
        now: NOW,
        header: (header) => {
          if (header['kid'] !== 'our-key') throw new Error(`unknown key ${String(header['kid'])}`);
        },
      }),
    ).toThrow('unknown key another-key');
  });
});
