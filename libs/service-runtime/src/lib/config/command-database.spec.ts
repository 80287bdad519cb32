import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DataSource } from 'typeorm';
import { withCommandDatabase } from './command-database';
import { ConfigError } from './service-config';

describe('withCommandDatabase', () => {
  let dir: string;
  const configAt = (file: string) => ({
    service: { name: 'recording' as const, host: '127.0.0.1', port: 3002 },
    database: { sqliteFile: file, poolSize: 2, batchStatements: true },
  });

  beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), 'command-db-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses a database that is not there, and does not create it', async () => {
    const file = path.join(dir, 'recording.sqlite');
    const work = jest.fn();

    await expect(withCommandDatabase(configAt(file), work)).rejects.toThrow(ConfigError);
    await expect(withCommandDatabase(configAt(file), work, { missing: (message) => new RangeError(message) })).rejects.toThrow(
      /no recording database at .*recording\.sqlite/,
    );
    expect(work).not.toHaveBeenCalled();
    expect(existsSync(file)).toBe(false);
  });

  it('opens an existing database without migrating it, and closes it even when the work fails', async () => {
    const file = path.join(dir, 'recording.sqlite');
    let opened: DataSource | undefined;
    // Create the file the way a service would have, then run a command on it.
    const creator = new DataSource({ type: 'better-sqlite3', database: file });
    await creator.initialize();
    await creator.query('CREATE TABLE kept (id INTEGER PRIMARY KEY)');
    await creator.destroy();

    const tables = await withCommandDatabase(configAt(file), async (dataSource) => {
      opened = dataSource;
      return (await dataSource.query("SELECT name FROM sqlite_master WHERE type = 'table'")) as Array<{ name: string }>;
    });
    expect(tables.map((table) => table.name)).toEqual(['kept']);
    expect(opened?.isInitialized).toBe(false);

    await expect(
      withCommandDatabase(configAt(file), async (dataSource) => {
        opened = dataSource;
        throw new Error('work failed');
      }),
    ).rejects.toThrow('work failed');
    expect(opened?.isInitialized).toBe(false);
  });
});
