import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { FieldCipher, FieldDecryptionError } from './field-cipher';

describe('FieldCipher key rotation', () => {
  const oldKey = randomBytes(32);
  const newKey = randomBytes(32);
  const before = new FieldCipher(oldKey);
  const during = new FieldCipher(newKey, [oldKey]);
  const after = new FieldCipher(newKey);
  const context = 'officers.id_number:officer-1';

  it('still decrypts what the old key encrypted once the new key is current', () => {
    const stored = before.encrypt('110101199003074514', context);

    expect(during.decrypt(stored, context)).toBe('110101199003074514');
    expect(during.open(stored, context)).toEqual({ plaintext: '110101199003074514', keyIndex: 1 });
  });

  it('encrypts under the new key only', () => {
    const stored = during.encrypt('110101199003074514', context);

    expect(after.decrypt(stored, context)).toBe('110101199003074514');
    expect(() => before.decrypt(stored, context)).toThrow(FieldDecryptionError);
    expect(during.open(stored, context).keyIndex).toBe(0);
  });

  it('re-encrypts an old value under the new key, and leaves a current one alone', () => {
    const old = before.encrypt('13800138000', context);

    const moved = during.reencrypt(old, context);

    expect(moved).toBeDefined();
    expect(after.decrypt(moved ?? '', context)).toBe('13800138000');
    expect(during.reencrypt(moved ?? '', context)).toBeUndefined();
  });

  it('fails with a wrong context or an unknown key, whichever key is tried', () => {
    const stored = before.encrypt('110101199003074514', context);

    expect(() => during.decrypt(stored, 'officers.id_number:officer-2')).toThrow(FieldDecryptionError);
    expect(() => during.reencrypt(stored, 'officers.id_number:officer-2')).toThrow(FieldDecryptionError);
    expect(() => after.decrypt(stored, context)).toThrow('authentication failed');
  });

  it('gives a stable blind index per key and purpose, unrelated across keys and purposes', () => {
    const index = before.blindIndex('110101199003074514', 'officers.id_number');

    expect(index).toMatch(/^[0-9a-f]{64}$/);
    expect(new FieldCipher(oldKey).blindIndex('110101199003074514', 'officers.id_number')).toBe(index);
    expect(before.blindIndex('110101199003074515', 'officers.id_number')).not.toBe(index);
    expect(before.blindIndex('110101199003074514', 'case_parties.identifier')).not.toBe(index);
    expect(after.blindIndex('110101199003074514', 'officers.id_number')).not.toBe(index);
  });

  it('computes the index under every key during a rotation, current first', () => {
    const indexes = during.blindIndexes('110101199003074514', 'officers.id_number');

    expect(indexes).toEqual([
      after.blindIndex('110101199003074514', 'officers.id_number'),
      before.blindIndex('110101199003074514', 'officers.id_number'),
    ]);
    expect(during.blindIndex('110101199003074514', 'officers.id_number')).toBe(indexes[0]);
  });

  it('does not use the encryption key itself as the index key', () => {
    const { createHmac } = jest.requireActual<typeof import('node:crypto')>('node:crypto');
    const naive = createHmac('sha256', oldKey).update('110101199003074514').digest('hex');

    expect(before.blindIndex('110101199003074514', 'officers.id_number')).not.toBe(naive);
  });

  it('reads previous keys from configuration and refuses a bad one', async () => {
    const configured = await FieldCipher.fromConfig({ key: newKey.toString('base64'), previousKeys: [oldKey.toString('base64')] });

    expect(configured.previousKeyCount).toBe(1);
    expect(configured.decrypt(before.encrypt('x', context), context)).toBe('x');
    await expect(FieldCipher.fromConfig({ key: newKey.toString('base64'), previousKeys: ['c2hvcnQ='] })).rejects.toThrow('32 bytes');
  });

  it('counts a previous key equal to the current one once', () => {
    expect(new FieldCipher(newKey, [newKey, oldKey, oldKey]).previousKeyCount).toBe(1);
  });

  it('never shows a previous key or an index key', () => {
    during.blindIndex('x', 'officers.id_number');
    const shown = `${inspect(during, { showHidden: true, depth: 5 })} ${JSON.stringify(during)}`;

    for (const key of [oldKey, newKey]) {
      expect(shown).not.toContain(key.toString('base64'));
      expect(shown).not.toContain(key.toString('hex'));
    }
  });
});
