import { createTestDatabase, type TestDatabase } from '@enforcement/testing';
import * as fs from 'node:fs';
import { openDatabase } from './data-source.factory';

describe('a database on the same host through its Unix socket (MariaDB)', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase('persistence_socket');
  });

  afterAll(async () => {
    await database?.drop();
  });

  it('connects through the socket a ?socket= names, not through the host and port of the URL', async () => {
    const overTcp = await openDatabase({ url: database.url, sqliteFile: ':memory:', entities: [], migrations: [] });
    let socket: string;
    try {
      const [row] = (await overTcp.query('SELECT @@socket AS socket')) as Array<{ socket: string }>;
      socket = row.socket;
    } finally {
      await overTcp.destroy();
    }
    // The test server runs on this machine (npm run infra); its socket must be here to be reached.
    expect(fs.statSync(socket).isSocket()).toBe(true);

    // An unreachable port: only the socket can get this connection through.
    const url = new URL(database.url);
    url.port = '1';
    url.searchParams.set('socket', socket);
    const overSocket = await openDatabase({ url: url.toString(), sqliteFile: ':memory:', entities: [], migrations: [] });
    try {
      const [row] = (await overSocket.query('SELECT DATABASE() AS name')) as Array<{ name: string }>;
      expect(row.name).toBe(database.name);
      const [connection] = (await overSocket.query(
        'SELECT HOST AS host FROM information_schema.PROCESSLIST WHERE ID = CONNECTION_ID()',
      )) as Array<{ host: string }>;
      // MariaDB names a socket client 'localhost' and a TCP one host:port.
      expect(connection.host).toBe('localhost');
    } finally {
      await overSocket.destroy();
    }
  });
});
