import { createConnection, type Connection, type RowDataPacket } from 'mysql2/promise';
import { createTestDatabase, type TestDatabase } from './mariadb';

describe(createTestDatabase.name, () => {
  const created: TestDatabase[] = [];
  let admin: Connection;

  async function create(prefix: string): Promise<TestDatabase> {
    const db = await createTestDatabase(prefix);
    created.push(db);
    return db;
  }

  async function exists(name: string): Promise<boolean> {
    const [rows] = await admin.query<RowDataPacket[]>('SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?', [name]);
    return rows.length === 1;
  }

  beforeAll(async () => {
    admin = await createConnection(process.env['TEST_MARIADB_URL'] ?? 'mysql://root@127.0.0.1:3306');
  });

  afterAll(async () => {
    await Promise.allSettled(created.map((db) => db.drop()));
    await admin?.end();
  });

  it('creates a utf8mb4 database that its URL connects to and that takes writes', async () => {
    const db = await create('mariadb spec');

    expect(db.name).toMatch(/^mariadb_spec_[0-9a-f]{8}$/);
    expect(db.url).toEqual(
      process.env['TEST_MARIADB_URL']
        ? expect.stringMatching(new RegExp(`^mysql://[^/]+/${db.name}$`))
        : `mysql://root:@127.0.0.1:3306/${db.name}`,
    );
    const [charset] = await admin.query<RowDataPacket[]>(
      'SELECT DEFAULT_CHARACTER_SET_NAME AS cs, DEFAULT_COLLATION_NAME AS co FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?',
      [db.name],
    );
    expect(charset).toEqual([{ cs: 'utf8mb4', co: 'utf8mb4_unicode_ci' }]);

    const connection = await createConnection(db.url);
    try {
      const [[current]] = await connection.query<RowDataPacket[]>('SELECT DATABASE() AS name');
      expect(current['name']).toBe(db.name);
      await connection.query('CREATE TABLE cases (id INT PRIMARY KEY, title VARCHAR(100) NOT NULL)');
      // A 4-byte character proves the table really is utf8mb4, not MySQL's 3-byte utf8.
      await connection.query('INSERT INTO cases (id, title) VALUES (?, ?)', [1, '行政处罚决定书 📄']);
      const [rows] = await connection.query<RowDataPacket[]>('SELECT id, title FROM cases');
      expect(rows).toEqual([{ id: 1, title: '行政处罚决定书 📄' }]);
    } finally {
      await connection.end();
    }
  });

  it('gives each call its own database', async () => {
    const [a, b] = await Promise.all([create('same-prefix'), create('same-prefix')]);

    expect(a.name).not.toBe(b.name);
    expect(await exists(a.name)).toBe(true);
    expect(await exists(b.name)).toBe(true);
  });

  it('sanitizes the prefix into a short, safe identifier', async () => {
    const db = await create(`Weird/Prefix;DROP-${'x'.repeat(100)}`);

    expect(db.name).toMatch(/^[a-z0-9_]+$/);
    expect(db.name.length).toBeLessThanOrEqual(64);
    expect(db.name.startsWith('weird_prefix_drop_xxx')).toBe(true);
    expect(await exists(db.name)).toBe(true);
  });

  it('drop() removes the database and can be repeated', async () => {
    const db = await create('dropped');
    expect(await exists(db.name)).toBe(true);

    await db.drop();

    expect(await exists(db.name)).toBe(false);
    await expect(db.drop()).resolves.toBeUndefined();
  });

  describe('when MariaDB is unreachable', () => {
    const original = process.env['TEST_MARIADB_URL'];
    afterEach(() => {
      if (original === undefined) delete process.env['TEST_MARIADB_URL'];
      else process.env['TEST_MARIADB_URL'] = original;
    });

    it('fails with a message that says so', async () => {
      // Port 1 on loopback is closed on any sane machine, so the connection is refused at once.
      process.env['TEST_MARIADB_URL'] = 'mysql://root@127.0.0.1:1';

      await expect(createTestDatabase('unreachable')).rejects.toThrow(/MariaDB is not reachable as root@127\.0\.0\.1:1 .*ECONNREFUSED/);
    });

    it('rejects a URL that is not mysql://', async () => {
      process.env['TEST_MARIADB_URL'] = 'postgres://root@127.0.0.1:5432';

      await expect(createTestDatabase('wrong-scheme')).rejects.toThrow(/must be a mysql:\/\/ URL/);
    });
  });
});
