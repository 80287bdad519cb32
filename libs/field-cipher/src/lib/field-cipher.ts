import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { decodeFieldKey, FIELD_KEY_BYTES, loadOrCreateFieldKey } from './field-key-file';

export const FIELD_CIPHER_PREFIX = 'enc:v1:';
const ALGORITHM = 'aes-256-gcm';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
/** Fixed HKDF salt and info prefix: a blind-index key is a different key from the encryption key it comes from. */
const BLIND_INDEX_SALT = Buffer.from('enforcement-platform/field-cipher', 'utf8');
const BLIND_INDEX_INFO = 'blind-index:v1:';

/**
 * How a service is given its field keys: a fixed key (FIELD_ENCRYPTION_KEY), or the file embedded mode keeps
 * its generated key in; plus, during a rotation, the keys that were current before (newest first), which
 * still decrypt and still find blind indexes but never encrypt.
 */
export type FieldEncryptionSetting = ({ key: string } | { keyFile: string }) & { previousKeys?: readonly string[] };

/** A value that is not ours, was changed, or was encrypted with another key or context. Says nothing more. */
export class FieldDecryptionError extends Error {
  constructor(reason: string) {
    super(`cannot decrypt field: ${reason}`);
    this.name = 'FieldDecryptionError';
  }
}

/**
 * Encrypts sensitive fields at rest (a party's ID number and contact data, an officer's ID number): AES-256-GCM
 * with a random 12-byte IV per value, stored as `enc:v1:<base64 of iv | tag | ciphertext>`. Decryption verifies
 * the tag, so a changed value fails instead of decrypting to garbage.
 *
 * An optional `context` (e.g. 'case_parties.contact:<case id>') is authenticated with the value: a ciphertext
 * copied to another row or column then fails to decrypt. Whatever context encrypts must also decrypt.
 *
 * Key rotation: the cipher holds one current key, which encrypts, and optionally the previous keys. Decryption
 * tries the current key, then each previous one; the GCM tag tells which key fits (a wrong key fails the tag),
 * so the stored format needs no key id. `reencrypt` moves a value to the current key.
 *
 * Blind index: `blindIndex(value, purpose)` is HMAC-SHA256 of the value under a key derived with HKDF from the
 * current key and the purpose, so equal values give equal indexes (a unique column, a lookup) without the value
 * being stored or the encryption key being used for anything else. `blindIndexes` gives the index under every
 * key, for lookups while rows still carry indexes of a previous key.
 */
export class FieldCipher {
  /** Private fields: the keys never show up in util.inspect, JSON or a log line. Current key first. */
  readonly #keys: readonly Buffer[];
  /** Derived blind-index keys per purpose, in the order of #keys. */
  readonly #indexKeys = new Map<string, readonly Buffer[]>();

  constructor(key: Buffer, previousKeys: readonly Buffer[] = []) {
    const keys: Buffer[] = [];
    for (const candidate of [key, ...previousKeys]) {
      if (candidate.length !== FIELD_KEY_BYTES) throw new Error(`the field encryption key must be ${FIELD_KEY_BYTES} bytes`);
      if (!keys.some((known) => known.equals(candidate))) keys.push(Buffer.from(candidate));
    }
    this.#keys = keys;
  }

  /** From the service's configuration: a fixed key, or embedded mode's key file, created on first use; and the previous keys. */
  static async fromConfig(config: FieldEncryptionSetting): Promise<FieldCipher> {
    const current = 'key' in config ? decodeFieldKey(config.key) : await loadOrCreateFieldKey(config.keyFile);
    return new FieldCipher(current, (config.previousKeys ?? []).map(decodeFieldKey));
  }

  static isEncrypted(value: string): boolean {
    return value.startsWith(FIELD_CIPHER_PREFIX);
  }

  /** How many previous keys this cipher still reads (0 outside a rotation). */
  get previousKeyCount(): number {
    return this.#keys.length - 1;
  }

  /** Always under the current key. */
  encrypt(plaintext: string, context?: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(ALGORITHM, this.#keys[0], iv, { authTagLength: TAG_BYTES });
    if (context !== undefined) cipher.setAAD(Buffer.from(context, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return FIELD_CIPHER_PREFIX + Buffer.concat([iv, cipher.getAuthTag(), ciphertext]).toString('base64');
  }

  /** Under whichever key fits, current or previous. */
  decrypt(value: string, context?: string): string {
    return this.open(value, context).plaintext;
  }

  /**
   * The plaintext and whether the current key encrypted it (`keyIndex` 0) or a previous one (1 is the newest
   * previous key). Throws FieldDecryptionError when no key fits.
   */
  open(value: string, context?: string): { plaintext: string; keyIndex: number } {
    if (!FieldCipher.isEncrypted(value)) throw new FieldDecryptionError(`not an ${FIELD_CIPHER_PREFIX} value`);
    const encoded = value.slice(FIELD_CIPHER_PREFIX.length);
    if (!BASE64.test(encoded)) throw new FieldDecryptionError('not base64');
    const bytes = Buffer.from(encoded, 'base64');
    if (bytes.length < IV_BYTES + TAG_BYTES) throw new FieldDecryptionError('too short');
    for (const [keyIndex, key] of this.#keys.entries()) {
      const plaintext = decryptWith(key, bytes, context);
      if (plaintext !== undefined) return { plaintext, keyIndex };
    }
    throw new FieldDecryptionError('authentication failed (changed, or another key or context)');
  }

  /**
   * The value encrypted anew under the current key when a previous key encrypted it; undefined when it is under
   * the current key already (nothing to do). Throws FieldDecryptionError when no key fits.
   */
  reencrypt(value: string, context?: string): string | undefined {
    const { plaintext, keyIndex } = this.open(value, context);
    return keyIndex === 0 ? undefined : this.encrypt(plaintext, context);
  }

  /** For structured sensitive data such as the party's contact object. */
  encryptJson<T>(value: T, context?: string): string {
    return this.encrypt(JSON.stringify(value), context);
  }

  /**
   * The value `encryptJson` stored. The type is the caller's word, and sound as far as the data goes: the tag
   * proves the JSON was written by this platform's `encryptJson`, unchanged.
   */
  decryptJson<T>(value: string, context?: string): T {
    return JSON.parse(this.decrypt(value, context)) as T;
  }

  /**
   * Deterministic index of `value` under the current key, 64 hex characters: HMAC-SHA256 keyed with
   * HKDF-SHA256(current key, purpose). Different purposes (e.g. 'officers.id_number') give unrelated indexes.
   * Normalise the value first (case, spaces): the index compares bytes.
   */
  blindIndex(value: string, purpose: string): string {
    return hmac(this.indexKeys(purpose)[0], value);
  }

  /** The index of `value` under every key, current first: what rows not yet rotated may still carry. */
  blindIndexes(value: string, purpose: string): string[] {
    return this.indexKeys(purpose).map((key) => hmac(key, value));
  }

  private indexKeys(purpose: string): readonly Buffer[] {
    if (!purpose) throw new Error('a blind index needs a purpose');
    let keys = this.#indexKeys.get(purpose);
    if (!keys) {
      const info = Buffer.from(BLIND_INDEX_INFO + purpose, 'utf8');
      keys = this.#keys.map((key) => Buffer.from(hkdfSync('sha256', key, BLIND_INDEX_SALT, info, 32)));
      this.#indexKeys.set(purpose, keys);
    }
    return keys;
  }
}

function decryptWith(key: Buffer, bytes: Buffer, context: string | undefined): string | undefined {
  const decipher = createDecipheriv(ALGORITHM, key, bytes.subarray(0, IV_BYTES), { authTagLength: TAG_BYTES });
  decipher.setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
  if (context !== undefined) decipher.setAAD(Buffer.from(context, 'utf8'));
  try {
    return Buffer.concat([decipher.update(bytes.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
  } catch {
    return undefined;
  }
}

function hmac(key: Buffer, value: string): string {
  return createHmac('sha256', key).update(value, 'utf8').digest('hex');
}
