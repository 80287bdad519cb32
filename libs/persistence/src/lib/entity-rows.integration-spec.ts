import { createTestDatabase, type TestDatabase } from '@enforcement/testing';
import { Column, Entity, PrimaryColumn, Table, type DataSource, type MigrationInterface, type QueryRunner } from 'typeorm';
import { openDatabase } from './data-source.factory';
import { EntityRows } from './entity-rows';
import { columnsFor } from './migration-columns';

@Entity({ name: 'notes' })
class NoteEntity {
  @PrimaryColumn({ name: 'id', type: 'varchar', length: 36 })
  id!: string;

  @Column({ name: 'written_at', type: 'datetime', precision: 3 })
  writtenAt!: Date;

  @Column({ name: 'body', type: 'text' })
  body!: string;

  @Column({ name: 'urgent', type: 'boolean', default: false })
  urgent!: boolean;

  @Column({ name: 'tags', type: 'simple-json', nullable: true })
  tags!: string[] | null;

  @Column({ name: 'revision', type: 'int', default: 0 })
  revision!: number;

  @Column({ name: 'secret', type: 'varchar', length: 64, select: false })
  secret!: string;
}

class Notes1700000000001 implements MigrationInterface {
  name = 'Notes1700000000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    const c = columnsFor(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'notes',
        columns: [
          c.id(),
          c.timestamp('written_at'),
          c.text('body'),
          c.boolean('urgent'),
          c.json('tags', true),
          c.int('revision', 0),
          c.string('secret', 64),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('notes');
  }
}

const WRITTEN_AT = new Date('2026-11-21T15:59:59.123Z');

/** The same behaviour on both dialects, compared with what TypeORM's own repository reads and writes. */
describe.each([
  ['MariaDB', true],
  ['SQLite', false],
])('EntityRows on %s', (_dialect, mariadb) => {
  let database: TestDatabase | undefined;
  let dataSource: DataSource;
  let rows: EntityRows<NoteEntity>;

  beforeAll(async () => {
    database = mariadb ? await createTestDatabase('persistence_entity_rows') : undefined;
    dataSource = await openDatabase({
      url: database?.url,
      sqliteFile: ':memory:',
      entities: [NoteEntity],
      migrations: [Notes1700000000001],
    });
    rows = new EntityRows(dataSource, NoteEntity);
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  beforeEach(() => dataSource.query('DELETE FROM notes'));

  it('writes a row TypeORM reads back the same (UTC milliseconds, JSON, booleans, Chinese text), defaults included', async () => {
    await rows.insert(dataSource.manager, {
      id: 'n-1',
      writtenAt: WRITTEN_AT,
      body: '询问笔录',
      urgent: true,
      tags: ['现场', '笔录'],
      secret: 's',
    });

    const read = await dataSource.getRepository(NoteEntity).findOneByOrFail({ id: 'n-1' });
    expect(read).toEqual({ id: 'n-1', writtenAt: WRITTEN_AT, body: '询问笔录', urgent: true, tags: ['现场', '笔录'], revision: 0 });
  });

  it('reads a row TypeORM wrote as TypeORM reads it, an instance of the entity without the columns that are not selected', async () => {
    await dataSource
      .getRepository(NoteEntity)
      .insert({ id: 'n-2', writtenAt: WRITTEN_AT, body: '检查记录', urgent: false, tags: null, revision: 3, secret: 's' });

    const found = await rows.findOneBy(dataSource.manager, { id: 'n-2' });

    expect(found).toBeInstanceOf(NoteEntity);
    expect(found).toEqual(await dataSource.getRepository(NoteEntity).findOneByOrFail({ id: 'n-2' }));
    expect(found?.secret).toBeUndefined();
    await expect(rows.findOneBy(dataSource.manager, { id: 'n-3' })).resolves.toBeUndefined();
  });

  it('updates only where every condition holds, and says how many rows it changed', async () => {
    await rows.insert(dataSource.manager, { id: 'n-4', writtenAt: WRITTEN_AT, body: '初稿', urgent: false, revision: 1, secret: 's' });

    await expect(rows.update(dataSource.manager, { id: 'n-4', revision: 0 }, { body: '改稿', revision: 1 })).resolves.toBe(0);
    await expect(rows.update(dataSource.manager, { id: 'n-4', revision: 1 }, { body: '改稿', revision: 2, tags: ['改'] })).resolves.toBe(1);
    expect(await rows.findOneBy(dataSource.manager, { id: 'n-4' })).toMatchObject({ body: '改稿', revision: 2, tags: ['改'] });
  });

  it("writes inside the caller's transaction: a rollback leaves nothing", async () => {
    await expect(
      dataSource.transaction(async (manager) => {
        await rows.insert(manager, { id: 'n-5', writtenAt: WRITTEN_AT, body: '草稿', urgent: false, secret: 's' });
        expect(await rows.findOneBy(manager, { id: 'n-5' })).toBeDefined();
        throw new Error('abandoned');
      }),
    ).rejects.toThrow('abandoned');

    await expect(rows.findOneBy(dataSource.manager, { id: 'n-5' })).resolves.toBeUndefined();
  });

  it('refuses a property the entity does not map, and a statement without conditions, before touching the database', async () => {
    await expect(rows.findBy(dataSource.manager, {})).rejects.toThrow('without conditions');
    await expect(rows.findBy(dataSource.manager, { tags: null })).rejects.toThrow('never matches');
    await expect(rows.insert(dataSource.manager, { id: 'n-6', colour: 'red' } as never)).rejects.toThrow(
      'maps no column to the property colour',
    );
  });
});
