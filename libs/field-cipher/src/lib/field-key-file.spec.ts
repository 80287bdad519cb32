import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FieldCipher } from './field-cipher';
import { loadOrCreateFieldKey } from './field-key-file';

describe('loadOrCreateFieldKey', () => {
  let dir: string;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'field-key-'));
  });

  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('creates a random 32-byte key on first use, readable by the owner only', async () => {
    const file = path.join(dir, 'keys', 'field-encryption.key');

    const key = await loadOrCreateFieldKey(file);

    expect(key).toHaveLength(32);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'base64').equals(key)).toBe(true);
    expect(fs.readdirSync(path.dirname(file))).toEqual(['field-encryption.key']);
  });

  it('reuses the key it created, so what was encrypted stays readable after a restart', async () => {
    const file = path.join(dir, 'field-encryption.key');
    const before = await FieldCipher.fromConfig({ keyFile: file });
    const stored = before.encrypt('110101199003074514');

    const after = await FieldCipher.fromConfig({ keyFile: file });

    expect(after.decrypt(stored)).toBe('110101199003074514');
  });

  it('gives services starting together one key', async () => {
    const file = path.join(dir, 'field-encryption.key');

    const keys = await Promise.all(Array.from({ length: 12 }, () => loadOrCreateFieldKey(file)));

    expect(new Set(keys.map((key) => key.toString('base64'))).size).toBe(1);
    expect(fs.readdirSync(dir)).toEqual(['field-encryption.key']);
  });

  it('reads a key written by hand, with or without a newline', async () => {
    const file = path.join(dir, 'field-encryption.key');
    const text = Buffer.alloc(32, 7).toString('base64');
    fs.writeFileSync(file, text, { mode: 0o600 });

    expect((await loadOrCreateFieldKey(file)).equals(Buffer.alloc(32, 7))).toBe(true);
  });

  it('refuses a file that holds no key rather than replacing it', async () => {
    const file = path.join(dir, 'field-encryption.key');
    fs.writeFileSync(file, 'c2hvcnQ=\n');

    await expect(loadOrCreateFieldKey(file)).rejects.toThrow('does not hold a field encryption key');
    expect(fs.readFileSync(file, 'utf8')).toBe('c2hvcnQ=\n');
  }, 10_000);
});
