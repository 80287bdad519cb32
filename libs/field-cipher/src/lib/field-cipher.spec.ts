import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { FIELD_CIPHER_PREFIX, FieldCipher, FieldDecryptionError } from './field-cipher';

describe(FieldCipher.name, () => {
  const key = randomBytes(32);
  const sut = new FieldCipher(key);

  /** Flips one bit of the decoded payload at `index` and re-encodes it. */
  const tampered = (value: string, index: number) => {
    const bytes = Buffer.from(value.slice(FIELD_CIPHER_PREFIX.length), 'base64');
    bytes[index] ^= 0x01;
    return FIELD_CIPHER_PREFIX + bytes.toString('base64');
  };

  it('round-trips text, Chinese and empty included', () => {
    for (const plaintext of ['110101199003074514', '上海市黄浦区南京东路1号', '']) {
      expect(sut.decrypt(sut.encrypt(plaintext))).toBe(plaintext);
    }
  });

  it('writes enc:v1: with base64 of a 12-byte IV, a 16-byte tag and the ciphertext', () => {
    const value = sut.encrypt('13800138000');
    const bytes = Buffer.from(value.slice(FIELD_CIPHER_PREFIX.length), 'base64');

    expect(value).toMatch(/^enc:v1:[A-Za-z0-9+/]+=*$/);
    expect(bytes).toHaveLength(12 + 16 + '13800138000'.length);
    expect(FieldCipher.isEncrypted(value)).toBe(true);
    expect(FieldCipher.isEncrypted('13800138000')).toBe(false);
  });

  it('uses a fresh IV each time, so equal values do not look equal', () => {
    const first = sut.encrypt('13800138000');
    const second = sut.encrypt('13800138000');

    expect(first).not.toBe(second);
    expect(first.slice(7, 23)).not.toBe(second.slice(7, 23));
  });

  it.each([
    ['the IV', 0],
    ['the tag', 12],
    ['the ciphertext', 30],
  ])('detects a change to %s', (_part, index) => {
    const value = sut.encrypt('110101199003074514 and more text');

    expect(() => sut.decrypt(tampered(value, index))).toThrow(FieldDecryptionError);
  });

  it('detects a cut-off value and refuses what is not its format', () => {
    const value = sut.encrypt('110101199003074514');

    expect(() => sut.decrypt(value.slice(0, -8))).toThrow(FieldDecryptionError);
    expect(() => sut.decrypt('enc:v1:AAAA')).toThrow('too short');
    expect(() => sut.decrypt('enc:v1:not base64!')).toThrow('not base64');
    expect(() => sut.decrypt('110101199003074514')).toThrow('not an enc:v1: value');
  });

  it('refuses to decrypt with another key, without revealing anything', () => {
    const value = sut.encrypt('110101199003074514');
    const other = new FieldCipher(randomBytes(32));

    expect(() => other.decrypt(value)).toThrow(FieldDecryptionError);
    expect(() => other.decrypt(value)).not.toThrow(/1101/);
  });

  it('binds a value to its context when one is given', () => {
    const value = sut.encrypt('13800138000', 'case_parties.contact:case-1');

    expect(sut.decrypt(value, 'case_parties.contact:case-1')).toBe('13800138000');
    expect(() => sut.decrypt(value, 'case_parties.contact:case-2')).toThrow(FieldDecryptionError);
    expect(() => sut.decrypt(value)).toThrow(FieldDecryptionError);
  });

  it('round-trips the contact object as JSON', () => {
    const contact = { phone: '13800138000', address: '上海市黄浦区南京东路1号', email: null };

    const value = sut.encryptJson(contact);

    expect(value.startsWith(FIELD_CIPHER_PREFIX)).toBe(true);
    expect(value).not.toContain('13800138000');
    expect(sut.decryptJson<typeof contact>(value)).toEqual(contact);
  });

  it('reads a key given as configuration (FIELD_ENCRYPTION_KEY)', async () => {
    const configured = await FieldCipher.fromConfig({ key: key.toString('base64') });

    expect(configured.decrypt(sut.encrypt('110101199003074514'))).toBe('110101199003074514');
    await expect(FieldCipher.fromConfig({ key: 'c2hvcnQ=' })).rejects.toThrow('32 bytes, base64');
  });

  it('refuses a key of the wrong length', () => {
    expect(() => new FieldCipher(randomBytes(16))).toThrow('32 bytes');
  });

  it('never shows its key', () => {
    const shown = `${inspect(sut, { showHidden: true, depth: 5 })} ${JSON.stringify(sut)}`;

    expect(shown).not.toContain(key.toString('base64'));
    expect(shown).not.toContain(key.toString('hex'));
  });
});
