import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { DataSource } from 'typeorm';
import { DomainError } from './api-error';
import { applyKeyset, decodePageCursor, encodePageCursor, keysetPage, PageQuery, pageView } from './keyset-paging';

describe('keyset paging', () => {
  const position = { at: new Date('2026-06-01T02:05:00.123Z'), id: 'b7d1c2e0-0000-4000-8000-000000000001' };

  it('gives back the position a cursor was made from', () => {
    expect(decodePageCursor(encodePageCursor(position))).toEqual(position);
  });

  it.each([
    'garbage',
    Buffer.from('[1,2]').toString('base64url'),
    Buffer.from('["not a date","x"]').toString('base64url'),
    Buffer.from('{"a":1}').toString('base64url'),
  ])('refuses a cursor it did not make (%s) as a validation failure on the cursor field', (text) => {
    const error = (() => {
      try {
        decodePageCursor(text);
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ code: 'VALIDATION_FAILED', status: 400, details: [{ field: 'cursor' }] });
  });

  it('cuts the extra row and points the next page at the last row kept', () => {
    const rows = [1, 2, 3].map((n) => ({ id: `r${n}`, at: new Date(n * 1000) }));
    const sut = keysetPage(rows, 2, (row) => ({ at: row.at, id: row.id }));

    expect(sut.items.map((row) => row.id)).toEqual(['r1', 'r2']);
    expect(sut.next).toEqual({ at: new Date(2000), id: 'r2' });
    expect(keysetPage(rows, 3, (row) => ({ at: row.at, id: row.id })).next).toBeUndefined();
    expect(pageView(sut, (row) => row.id)).toEqual({ items: ['r1', 'r2'], nextCursor: encodePageCursor({ at: new Date(2000), id: 'r2' }) });
  });

  it('resumes strictly after the position, in the direction of the order', () => {
    const dataSource = new DataSource({ type: 'better-sqlite3', database: ':memory:' });
    const descending = applyKeyset(
      dataSource.createQueryBuilder().select('*').from('rows', 'r'),
      { at: 'r.at', id: 'r.id', order: 'DESC' },
      { after: position, limit: 10 },
    );
    const ascending = applyKeyset(
      dataSource.createQueryBuilder().select('*').from('rows', 'r'),
      { at: 'r.at', id: 'r.id', order: 'ASC' },
      { limit: 5 },
    );

    expect(descending.getQuery()).toContain('(r.at < :keysetAt OR (r.at = :keysetAt AND r.id < :keysetId))');
    expect(descending.getQuery()).toMatch(/ORDER BY r\.at DESC, r\.id DESC LIMIT 11/);
    expect(ascending.getQuery()).not.toContain('keysetAt');
    expect(ascending.getQuery()).toMatch(/ORDER BY r\.at ASC, r\.id ASC LIMIT 6/);
  });

  it('validates limit and cursor with the endpoint limits and applies the default', () => {
    const Query = PageQuery({ defaultLimit: 20, maxLimit: 100 });
    const parse = (raw: Record<string, string>) => plainToInstance(Query, raw);

    expect(parse({}).pageSize()).toBe(20);
    expect(parse({ limit: '100' }).pageSize()).toBe(100);
    expect(validateSync(parse({ limit: '101' }))).toHaveLength(1);
    expect(validateSync(parse({ limit: '0' }))).toHaveLength(1);
    expect(validateSync(parse({ limit: 'abc' }))).toHaveLength(1);
    expect(parse({ cursor: encodePageCursor(position) }).after()).toEqual(position);
    expect(parse({}).after()).toBeUndefined();
  });
});
