import { HttpStatus } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { DomainError } from './api-error';

/**
 * Keyset paging for every list endpoint: rows ordered by an instant and their id, a page resumes after the
 * last row of the previous one (no OFFSET, so a page costs the same wherever it is and a row inserted
 * meanwhile neither repeats nor vanishes). The cursor the client gets back is opaque to it.
 */
export interface KeysetPosition {
  at: Date;
  id: string;
}

export interface KeysetPage<T> {
  items: T[];
  /** Where the next page starts; absent on the last page. */
  next?: KeysetPosition;
}

/** The response shape of every paged list. */
export interface PageView<V> {
  items: V[];
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

export interface PageLimits {
  defaultLimit: number;
  maxLimit: number;
}

/** The `limit` and `cursor` query parameters, documented and validated; list DTOs extend it. */
export function PageQuery({ defaultLimit, maxLimit }: PageLimits) {
  class PageQueryDto {
    @ApiPropertyOptional({ default: defaultLimit, minimum: 1, maximum: maxLimit, description: `Rows per page, 1 to ${maxLimit}` })
    @IsOptional()
    @Type(() => Number)
    @IsInt()
    @Min(1)
    @Max(maxLimit)
    limit?: number;

    @ApiPropertyOptional({ description: 'The nextCursor of the previous page' })
    @IsOptional()
    @IsString()
    @Length(1, 200)
    cursor?: string;

    /** The page size asked for, or the endpoint's default. */
    pageSize(): number {
      return this.limit ?? defaultLimit;
    }

    /** Where to resume; refuses a cursor this platform did not hand out. */
    after(): KeysetPosition | undefined {
      return this.cursor === undefined ? undefined : decodePageCursor(this.cursor);
    }
  }
  return PageQueryDto;
}

export function encodePageCursor(position: KeysetPosition): string {
  return Buffer.from(JSON.stringify([position.at.toISOString(), position.id])).toString('base64url');
}

export function decodePageCursor(text: string): KeysetPosition {
  const invalid = () =>
    new DomainError('VALIDATION_FAILED', '提交的数据不符合要求，请检查后重试', HttpStatus.BAD_REQUEST, [
      { field: 'cursor', problems: ['cursor is not one this endpoint returned'] },
    ]);
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (!Array.isArray(parsed) || parsed.length !== 2) throw invalid();
  const [at, id] = parsed as unknown[];
  if (typeof at !== 'string' || typeof id !== 'string') throw invalid();
  const instant = new Date(at);
  if (Number.isNaN(instant.getTime())) throw invalid();
  return { at: instant, id };
}

export interface KeysetColumns {
  /** SQL expressions of the ordering instant and the id, e.g. 'r.occurred_at', 'r.id'. */
  at: string;
  id: string;
  order: 'ASC' | 'DESC';
}

/**
 * Orders the query by the keyset, resumes after `after` and fetches one row more than the page, so that
 * `keysetPage` can tell whether another page follows without a COUNT.
 */
export function applyKeyset<T extends ObjectLiteral>(
  builder: SelectQueryBuilder<T>,
  columns: KeysetColumns,
  page: { after?: KeysetPosition; limit: number },
): SelectQueryBuilder<T> {
  builder
    .orderBy(columns.at, columns.order)
    .addOrderBy(columns.id, columns.order)
    .limit(page.limit + 1);
  if (page.after) {
    const beyond = columns.order === 'DESC' ? '<' : '>';
    // eslint-disable-next-line no-restricted-syntax -- the caller's own column names; the cursor's values are bound
    builder.andWhere(`(${columns.at} ${beyond} :keysetAt OR (${columns.at} = :keysetAt AND ${columns.id} ${beyond} :keysetId))`, {
      keysetAt: page.after.at,
      keysetId: page.after.id,
    });
  }
  return builder;
}

/** Cuts the extra row `applyKeyset` fetched and says where the next page starts. */
export function keysetPage<T>(rows: T[], limit: number, positionOf: (row: T) => KeysetPosition): KeysetPage<T> {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return rows.length > limit && last ? { items, next: positionOf(last) } : { items };
}

export function pageView<T, V>(page: KeysetPage<T>, view: (row: T) => V): PageView<V> {
  return { items: page.items.map(view), nextCursor: page.next ? encodePageCursor(page.next) : null };
}
