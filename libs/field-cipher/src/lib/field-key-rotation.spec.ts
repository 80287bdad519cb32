import { randomBytes } from 'node:crypto';
import Database from 'better-sqlite3';
import { FieldCipher } from './field-cipher';
import { formatRotationReport, rotateFieldKey, type EncryptedTable, type SqlRunner } from './field-key-rotation';

/** The rotation on SQLite (MariaDB is covered by the services' integration tests). */
describe('rotateFieldKey', () => {
  const oldKey = randomBytes(32);
  const newKey = randomBytes(32);
  const before = new FieldCipher(oldKey);
  const during = new FieldCipher(newKey, [oldKey]);
  const after = new FieldCipher(newKey);
  const people: EncryptedTable = {
    table: 'people',
    primaryKey: 'id',
    columns: [
      {
        column: 'secret',
        context: (id) => `people.secret:${id}`,
        blindIndex: { column: 'secret_index', purpose: 'people.secret', normalize: (value) => value.toUpperCase() },
      },
      { column: 'note', context: (id) => `people.note:${id}` },
    ],
  };
  let sqlite: Database.Database;
  let db: SqlRunner;

  const insert = (cipher: FieldCipher, id: string, secret: string, note: string | null) =>
    sqlite
      .prepare('INSERT INTO people (id, secret, secret_index, note) VALUES (?, ?, ?, ?)')
      .run(
        id,
        cipher.encrypt(secret, `people.secret:${id}`),
        cipher.blindIndex(secret.toUpperCase(), 'people.secret'),
        note === null ? null : cipher.encrypt(note, `people.note:${id}`),
      );
  const rows = () =>
    sqlite.prepare('SELECT id, secret, secret_index, note FROM people ORDER BY id').all() as Record<string, string | null>[];

  beforeEach(() => {
    sqlite = new Database(':memory:');
    sqlite.exec('CREATE TABLE people (id TEXT PRIMARY KEY, secret TEXT NOT NULL, secret_index TEXT NOT NULL UNIQUE, note TEXT)');
    db = {
      query: async (sql, parameters = []) => {
        const statement = sqlite.prepare(sql);
        return statement.reader ? statement.all(...parameters) : statement.run(...parameters);
      },
    };
  });

  afterEach(() => sqlite.close());

  it('moves every value and index to the current key, so the new key alone reads them', async () => {
    for (let i = 0; i < 7; i++) insert(before, `p${i}`, `11010119900307451${i}x`, i % 2 === 0 ? `note ${i}` : null);
    insert(during, 'p7', '110101199003074517', 'already new');

    const [report] = await rotateFieldKey(db, during, [people], { batchSize: 3 });

    expect(report).toMatchObject({ table: 'people', rows: 8, rewritten: 7, reencrypted: 7 + 4, reindexed: 7, failed: [], lastRowId: 'p7' });
    for (const row of rows()) {
      const secret = after.decrypt(row['secret'] ?? '', `people.secret:${row['id']}`);
      expect(row['secret_index']).toBe(after.blindIndex(secret.toUpperCase(), 'people.secret'));
      if (row['note'] !== null) expect(after.decrypt(row['note'] ?? '', `people.note:${row['id']}`)).toMatch(/note|new/);
    }
    expect(formatRotationReport([report], during)).toContain('done: every value is under the current key');
  });

  it('does nothing the second time, and resumes after a given row', async () => {
    for (let i = 0; i < 4; i++) insert(before, `p${i}`, `11010119900307451${i}`, null);
    await rotateFieldKey(db, during, [people], { after: 'p1' });
    expect(rows().map((row) => during.open(row['secret'] ?? '', `people.secret:${row['id']}`).keyIndex)).toEqual([1, 1, 0, 0]);

    const [rest] = await rotateFieldKey(db, during, [people]);
    const [again] = await rotateFieldKey(db, during, [people]);

    expect(rest).toMatchObject({ rows: 4, rewritten: 2 });
    expect(again).toMatchObject({ rows: 4, rewritten: 0, reencrypted: 0, reindexed: 0 });
  });

  it('reports rows no configured key decrypts, by id only, and goes on with the others', async () => {
    insert(new FieldCipher(randomBytes(32)), 'lost', '110101199003074514', null);
    insert(before, 'p1', '110101199003074515', null);

    const [report] = await rotateFieldKey(db, during, [people]);

    expect(report).toMatchObject({ rows: 2, rewritten: 1, failed: ['lost'] });
    const text = formatRotationReport([report], during);
    expect(text).toContain('NOT DONE');
    expect(text).not.toContain('110101199003074514');
  });

  it('never overwrites a row changed since it was read', async () => {
    insert(before, 'p1', '110101199003074515', null);
    const changed = during.encrypt('110101199003074516', 'people.secret:p1');
    const racing: SqlRunner = {
      query: async (sql, parameters) => {
        if (sql.startsWith('UPDATE')) sqlite.prepare('UPDATE people SET secret = ? WHERE id = ?').run(changed, 'p1');
        return db.query(sql, parameters);
      },
    };

    await rotateFieldKey(racing, during, [people]);

    expect(rows()[0]['secret']).toBe(changed);
  });
});
