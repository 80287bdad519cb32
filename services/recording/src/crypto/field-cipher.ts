import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { RecordingSettings } from '../config/recording-settings';
import { decodeFieldKey, FIELD_KEY_BYTES, loadOrCreateFieldKey } from './field-key-file';

export const FIELD_CIPHER_PREFIX = 'enc:v1:';
const ALGORITHM = 'aes-256-gcm';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** A value that is not ours, was changed, or was encrypted with another key or context. Says nothing more. */
export class FieldDecryptionError extends Error {
  constructor(reason: string) {
    super(`cannot decrypt field: ${reason}`);
    this.name = 'FieldDecryptionError';
  }
}

/**
 * Encrypts sensitive fields at rest (a party's ID number and contact data): AES-256-GCM with a random 12-byte
 * IV per value, stored as `enc:v1:<base64 of iv | tag | ciphertext>`. Decryption verifies the tag, so a changed
 * value fails instead of decrypting to garbage.
 *
 * An optional `context` (e.g. 'case_parties.contact:<case id>') is authenticated with the value: a ciphertext
 * copied to another row or column then fails to decrypt. Whatever context encrypts must also decrypt.
 */
export class FieldCipher {
  /** Private field: the key never shows up in util.inspect, JSON or a log line. */
  readonly #key: Buffer;

  constructor(key: Buffer) {
    if (key.length !== FIELD_KEY_BYTES) throw new Error(`the field encryption key must be ${FIELD_KEY_BYTES} bytes`);
    this.#key = Buffer.from(key);
  }

  /** From the service's configuration: a fixed key, or embedded mode's key file, created on first use. */
  static async fromConfig(config: RecordingSettings['fieldEncryption']): Promise<FieldCipher> {
    return new FieldCipher('key' in config ? decodeFieldKey(config.key) : await loadOrCreateFieldKey(config.keyFile));
  }

  static isEncrypted(value: string): boolean {
    return value.startsWith(FIELD_CIPHER_PREFIX);
  }

  encrypt(plaintext: string, context?: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(ALGORITHM, this.#key, iv, { authTagLength: TAG_BYTES });
    if (context !== undefined) cipher.setAAD(Buffer.from(context, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return FIELD_CIPHER_PREFIX + Buffer.concat([iv, cipher.getAuthTag(), ciphertext]).toString('base64');
  }

  decrypt(value: string, context?: string): string {
    if (!FieldCipher.isEncrypted(value)) throw new FieldDecryptionError(`not an ${FIELD_CIPHER_PREFIX} value`);
    const encoded = value.slice(FIELD_CIPHER_PREFIX.length);
    if (!BASE64.test(encoded)) throw new FieldDecryptionError('not base64');
    const bytes = Buffer.from(encoded, 'base64');
    if (bytes.length < IV_BYTES + TAG_BYTES) throw new FieldDecryptionError('too short');
    const decipher = createDecipheriv(ALGORITHM, this.#key, bytes.subarray(0, IV_BYTES), { authTagLength: TAG_BYTES });
    decipher.setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    if (context !== undefined) decipher.setAAD(Buffer.from(context, 'utf8'));
    try {
      return Buffer.concat([decipher.update(bytes.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
    } catch {
      throw new FieldDecryptionError('authentication failed (changed, or another key or context)');
    }
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
}
