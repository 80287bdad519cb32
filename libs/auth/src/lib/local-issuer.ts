import { createPrivateKey, createPublicKey, generateKeyPair, randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { calculateJwkThumbprint, exportJWK, importPKCS8, importSPKI, SignJWT, type CryptoKey, type JSONWebKeySet, type JWK } from 'jose';
import type { AuthConfig, AuthenticatedUser } from './authenticated-user';
import { claimsFromUser, userProblem } from './token-claims';

export const LOCAL_ISSUER_ALG = 'ES256';
export const LOCAL_ISSUER_FILES = {
  privateKey: 'private-key.pem',
  publicKey: 'public-key.pem',
  jwks: 'jwks.json',
} as const;

export interface LocalIssuerOptions {
  /** Folder that holds the key pair; embedded mode uses `${DATA_DIR}/auth`, shared by all services. */
  dir: string;
  issuer: string;
  audience: string;
}

export interface LocalSignOptions {
  ttlSeconds: number;
}

export interface LocalVerificationKey {
  key: CryptoKey;
  kid: string;
}

interface KeyMaterial {
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  kid: string;
  jwks: JSONWebKeySet;
}

const generateKeyPairAsync = promisify(generateKeyPair);

/** How long to wait for a key file another process is still writing (only where hard links are unavailable). */
const PARTIAL_READ_RETRIES = 40;
const PARTIAL_READ_DELAY_MS = 50;

/**
 * Embedded mode's own token issuer: an ES256 key pair kept in `dir`, created on first use.
 *
 * The private key file is the single source of truth; the public key, `kid` and JWKS are derived from it, so
 * whoever wins the race to create it decides the key for every service and process sharing `dir`.
 */
export class LocalIssuer {
  private material?: Promise<KeyMaterial>;

  constructor(private readonly options: LocalIssuerOptions) {}

  static fromConfig(config: AuthConfig): LocalIssuer {
    if (config.verification.kind !== 'local') {
      throw new Error(`the local issuer needs verification kind "local", not "${config.verification.kind}"`);
    }
    return new LocalIssuer({ dir: config.verification.dir, issuer: config.issuer, audience: config.audience });
  }

  get dir(): string {
    return path.resolve(this.options.dir);
  }

  async sign(user: AuthenticatedUser, options: LocalSignOptions): Promise<string> {
    if (!Number.isInteger(options.ttlSeconds) || options.ttlSeconds <= 0) {
      throw new Error(`ttlSeconds must be a positive integer, got ${options.ttlSeconds}`);
    }
    const problem = userProblem(user);
    if (problem !== undefined) throw new Error(`cannot sign a token: ${problem}`);
    const { privateKey, kid } = await this.keys();
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT(claimsFromUser(user))
      .setProtectedHeader({ alg: LOCAL_ISSUER_ALG, kid, typ: 'JWT' })
      .setSubject(user.userId)
      .setIssuer(this.options.issuer)
      .setAudience(this.options.audience)
      .setIssuedAt(now)
      .setExpirationTime(now + options.ttlSeconds)
      .setJti(randomUUID())
      .sign(privateKey);
  }

  async verificationKey(): Promise<LocalVerificationKey> {
    const { publicKey, kid } = await this.keys();
    return { key: publicKey, kid };
  }

  /** The public key as a JWKS, e.g. to serve to tools that only speak JWKS. */
  async jwks(): Promise<JSONWebKeySet> {
    return (await this.keys()).jwks;
  }

  private keys(): Promise<KeyMaterial> {
    this.material ??= loadOrCreate(this.dir).catch((error: unknown) => {
      // A failure (say, a read-only disk) must not stick: the next call tries again.
      this.material = undefined;
      throw error;
    });
    return this.material;
  }
}

async function loadOrCreate(dir: string): Promise<KeyMaterial> {
  await fs.mkdir(dir, { recursive: true, mode: 0o700 });
  const file = path.join(dir, LOCAL_ISSUER_FILES.privateKey);
  let pem = await readPrivateKey(file);
  // A second round only happens if the winner's file vanished right after it won (someone cleared the folder).
  for (let attempt = 0; pem === undefined && attempt < 3; attempt++) {
    pem = await createExclusively(file, await generatePrivateKeyPem());
  }
  if (pem === undefined) throw new Error(`could not create ${file}: it keeps disappearing`);
  const material = await materialFrom(pem, file);
  await publishPublicKey(dir, pem, material.jwks);
  return material;
}

async function generatePrivateKeyPem(): Promise<string> {
  const { privateKey } = await generateKeyPairAsync('ec', { namedCurve: 'P-256' });
  return privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
}

/** The existing key, or undefined when there is none yet. */
async function readPrivateKey(file: string): Promise<string | undefined> {
  for (let attempt = 0; ; attempt++) {
    let pem: string;
    try {
      pem = await fs.readFile(file, 'utf8');
    } catch (error) {
      if (errorCode(error) === 'ENOENT') return undefined;
      throw error;
    }
    if (isCompletePrivateKey(pem)) return pem;
    // Only the no-hard-link fallback below can expose a half-written file; give its writer time to finish.
    if (attempt >= PARTIAL_READ_RETRIES) {
      throw new Error(`${file} is not a readable private key; delete the folder to generate a new key pair`);
    }
    await new Promise((resolve) => setTimeout(resolve, PARTIAL_READ_DELAY_MS));
  }
}

/**
 * Publishes `pem` as the key unless someone else got there first, in which case theirs is returned.
 * The key is written whole to a private temporary file and then hard-linked into place: link() fails when
 * the target exists, so exactly one writer wins and no reader ever sees a partial key.
 */
async function createExclusively(file: string, pem: string): Promise<string | undefined> {
  const temporary = `${file}.${process.pid}.${randomUUID()}.tmp`;
  await writeDurably(temporary, pem, 0o600);
  try {
    await fs.link(temporary, file);
    return pem;
  } catch (error) {
    const code = errorCode(error);
    if (code === 'EEXIST') return readPrivateKey(file);
    if (code === 'EPERM' || code === 'ENOTSUP' || code === 'ENOSYS' || code === 'EXDEV') {
      return createWithoutLink(file, pem);
    }
    throw error;
  } finally {
    await fs.rm(temporary, { force: true });
  }
}

/** For file systems without hard links: exclusive create still has exactly one winner; readers retry partial reads. */
async function createWithoutLink(file: string, pem: string): Promise<string | undefined> {
  try {
    await writeDurably(file, pem, 0o600);
    return pem;
  } catch (error) {
    if (errorCode(error) === 'EEXIST') return readPrivateKey(file);
    throw error;
  }
}

async function writeDurably(file: string, content: string, mode: number): Promise<void> {
  const handle = await fs.open(file, 'wx', mode);
  try {
    // open()'s mode passes through the umask; set it exactly so the key is 0600 and the public files 0644.
    await handle.chmod(mode);
    await handle.writeFile(content, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
}

function isCompletePrivateKey(pem: string): boolean {
  try {
    createPrivateKey(pem);
    return true;
  } catch {
    return false;
  }
}

async function materialFrom(pem: string, file: string): Promise<KeyMaterial> {
  const keyObject = createPrivateKey(pem);
  if (keyObject.asymmetricKeyType !== 'ec' || keyObject.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    throw new Error(`${file} is not an ES256 (P-256) private key; delete the folder to generate a new key pair`);
  }
  const spki = createPublicKey(keyObject).export({ type: 'spki', format: 'pem' }).toString();
  const privateKey = await importPKCS8(pem, LOCAL_ISSUER_ALG);
  const publicKey = await importSPKI(spki, LOCAL_ISSUER_ALG, { extractable: true });
  const jwk: JWK = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(jwk);
  return { privateKey, publicKey, kid, jwks: { keys: [{ ...jwk, kid, alg: LOCAL_ISSUER_ALG, use: 'sig' }] } };
}

/**
 * Writes the public key (PEM, to configure a standalone service with AUTH_PUBLIC_KEY) and the JWKS beside the
 * private key. Both are derived, so concurrent writers produce identical bytes; rename keeps each file whole.
 */
async function publishPublicKey(dir: string, privatePem: string, jwks: JSONWebKeySet): Promise<void> {
  const spki = createPublicKey(privatePem).export({ type: 'spki', format: 'pem' }).toString();
  await replaceIfDifferent(path.join(dir, LOCAL_ISSUER_FILES.publicKey), spki);
  await replaceIfDifferent(path.join(dir, LOCAL_ISSUER_FILES.jwks), `${JSON.stringify(jwks, null, 2)}\n`);
}

async function replaceIfDifferent(file: string, content: string): Promise<void> {
  try {
    if ((await fs.readFile(file, 'utf8')) === content) return;
  } catch (error) {
    if (errorCode(error) !== 'ENOENT') throw error;
  }
  const temporary = `${file}.${process.pid}.${randomUUID()}.tmp`;
  try {
    await writeDurably(temporary, content, 0o644);
    await fs.rename(temporary, file);
  } finally {
    await fs.rm(temporary, { force: true });
  }
}

// Not `instanceof Error`: errors from Node's fs may come from another realm (VM contexts, test runners).
function errorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string' ? error.code : undefined;
}
