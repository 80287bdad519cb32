// Key pairs and hand-made tokens for the specs of this library: they must be able to mint tokens the
// platform's own issuer never would (expired, foreign, badly shaped).
import { exportSPKI, generateKeyPair, SignJWT, type CryptoKey, type JWTPayload } from 'jose';

export const TEST_ISSUER = 'https://idp.example.gov.cn/realms/enforcement';
export const TEST_AUDIENCE = 'enforcement-platform';

export type TestAlg = 'ES256' | 'EdDSA' | 'RS256';

export interface TestKeys {
  alg: TestAlg;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  publicPem: string;
}

export async function testKeys(alg: TestAlg = 'ES256'): Promise<TestKeys> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  return { alg, privateKey, publicKey, publicPem: await exportSPKI(publicKey) };
}

export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/** Claims of a valid officer token; override or drop (value undefined) any of them. */
export function testClaims(overrides: Record<string, unknown> = {}): JWTPayload {
  const claims: Record<string, unknown> = {
    iss: TEST_ISSUER,
    aud: TEST_AUDIENCE,
    sub: 'officer-0007',
    iat: nowSeconds(),
    exp: nowSeconds() + 600,
    agency_id: '330100-amr',
    roles: ['officer', 'reviewer'],
    name: '张三',
    ...overrides,
  };
  return Object.fromEntries(Object.entries(claims).filter(([, value]) => value !== undefined));
}

export function signTestToken(
  keys: TestKeys,
  claims: JWTPayload = testClaims(),
  header: { alg?: string; kid?: string } = {},
): Promise<string> {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: header.alg ?? keys.alg, typ: 'JWT', ...(header.kid === undefined ? {} : { kid: header.kid }) })
    .sign(keys.privateKey);
}
