import { Injectable } from '@nestjs/common';
import { addDays, startOfChinaDay } from '@enforcement/calendar';
import { applyKeyset, keysetPage, type KeysetPage, type KeysetPosition } from '@enforcement/service-runtime';
import { DataSource, MoreThan, type SelectQueryBuilder } from 'typeorm';
import type { StatisticsRow } from '../disclosure-core/annual-statistics';
import { keywordTerms, normalizeForSearch } from '../disclosure-core/search-terms';
import { DisclosureEntity } from '../disclosures/disclosure.entity';
import { SearchTermEntity } from '../disclosures/search-term.entity';

export interface PublicSearch {
  keyword?: string;
  agencyId?: string;
  domain?: string;
  penaltyKind?: string;
  /** Decision days (Shanghai), inclusive. */
  from?: string;
  to?: string;
}

/** How many postings of a term are counted at most when choosing the rarest term of a keyword. */
const RARITY_PROBE = 5_000;

/** Candidates read from the term index for a keyword page: first a few pages' worth, doubling up to the last. */
const CANDIDATES_FIRST = 64;
const CANDIDATES_MAX = 4_096;
/**
 * Candidates read at most for one keyword page. A common keyword under a filter that keeps few of its decisions would
 * otherwise walk its whole posting list for one request; past this the page ends short, with a cursor to go on from.
 */
export const CANDIDATES_PER_PAGE = 20_000;

/** Where a decision stands in the portal's order, newest publication first. */
function positionOf(row: DisclosureEntity): KeysetPosition {
  return { at: row.publishedAt ?? new Date(0), id: row.id };
}

function escapeLike(value: string): string {
  return value.replace(/[!%_]/g, (c) => `!${c}`);
}

/**
 * The public read side of disclosures: only decisions ever published and still within their period; the keyword
 * goes through the term index (the rarest piece of the keyword drives the read, in publication order, its other
 * pieces probed in the index beside it), the rest are filters on the row.
 */
@Injectable()
export class PublicDecisionsRepository {
  constructor(private readonly dataSource: DataSource) {}

  async page(
    search: PublicSearch,
    page: { after?: KeysetPosition; limit: number; scanLimit?: number },
    now = new Date(),
  ): Promise<KeysetPage<DisclosureEntity>> {
    const terms = search.keyword ? keywordTerms(search.keyword) : [];
    if (terms.length > 0) return this.keywordPage(search, terms, page, now);
    const builder = this.filtered(
      this.dataSource.getRepository(DisclosureEntity).createQueryBuilder('d').where('d.published_at IS NOT NULL'),
      search,
      now,
    );
    const rows = await applyKeyset(builder, { at: 'd.published_at', id: 'd.id', order: 'DESC' }, page).getMany();
    return keysetPage(rows, page.limit, positionOf);
  }

  /**
   * A page of a keyword search in two steps, so that no planner can read decision rows before the term index has
   * narrowed them down (MariaDB joined every posting of the rarest term to its decision before probing the other
   * terms, ten times the work at a million decisions): candidates from the term index alone, in publication order,
   * then their decisions with the exact match and the filters; in growing batches until the page is full, or until
   * `scanLimit` candidates were read (CANDIDATES_PER_PAGE), when the page ends short with a cursor to go on from.
   */
  private async keywordPage(
    search: PublicSearch,
    terms: string[],
    page: { after?: KeysetPosition; limit: number; scanLimit?: number },
    now: Date,
  ): Promise<KeysetPage<DisclosureEntity>> {
    const term = await this.rarest(terms);
    const scanLimit = page.scanLimit ?? CANDIDATES_PER_PAGE;
    let scanned = 0;
    const others = terms.filter((other) => other !== term);
    const like = `%${escapeLike(normalizeForSearch(search.keyword ?? ''))}%`;
    const rows: DisclosureEntity[] = [];
    let after = page.after;
    let batch = Math.max(CANDIDATES_FIRST, page.limit + 1);
    for (;;) {
      const asked = Math.min(batch, scanLimit - scanned);
      const candidates = await this.candidates(term, others, after, asked);
      if (candidates.length === 0) break;
      scanned += candidates.length;
      const matching = await this.filtered(
        this.dataSource
          .getRepository(DisclosureEntity)
          .createQueryBuilder('d')
          .where('d.id IN (:...ids)', { ids: candidates.map((c) => c.disclosureId) })
          .andWhere("d.search_text LIKE :like ESCAPE '!'", { like }),
        search,
        now,
      ).getMany();
      const byId = new Map(matching.map((row) => [row.id, row]));
      for (const candidate of candidates) {
        const row = byId.get(candidate.disclosureId);
        if (row) rows.push(row);
      }
      if (rows.length > page.limit || candidates.length < asked) break;
      const last = candidates[candidates.length - 1];
      after = { at: last.publishedAt, id: last.disclosureId };
      // Read enough for this page: it ends here, short, and the next one starts after the last candidate read.
      if (scanned >= scanLimit) return { items: rows, next: after };
      batch = Math.min(batch * 2, CANDIDATES_MAX);
    }
    return keysetPage(rows.slice(0, page.limit + 1), page.limit, positionOf);
  }

  /**
   * Postings of `term` whose decision also holds every one of `others` (a primary-key probe each in the index itself),
   * newest first after `after`.
   */
  private candidates(term: string, others: string[], after: KeysetPosition | undefined, count: number): Promise<SearchTermEntity[]> {
    const builder = this.dataSource.getRepository(SearchTermEntity).createQueryBuilder('t').where('t.term = :term', { term });
    others.forEach((other, i) =>
      builder.andWhere(
        // eslint-disable-next-line no-restricted-syntax -- only alias and parameter numbers; the terms are bound
        `EXISTS (SELECT 1 FROM disclosure_search_terms t${i} WHERE t${i}.term = :other${i} AND t${i}.published_at = t.published_at AND t${i}.disclosure_id = t.disclosure_id)`,
        { [`other${i}`]: other },
      ),
    );
    return applyKeyset(builder, { at: 't.published_at', id: 't.disclosure_id', order: 'DESC' }, { after, limit: count - 1 }).getMany();
  }

  /** What the portal shows of any decision (published or withdrawn, within its period), and the visitor's filters. */
  private filtered(builder: SelectQueryBuilder<DisclosureEntity>, search: PublicSearch, now: Date): SelectQueryBuilder<DisclosureEntity> {
    builder.andWhere("d.status IN ('published', 'withdrawn')").andWhere('d.public_until > :now', { now });
    if (search.agencyId) builder.andWhere('d.agency_id = :agencyId', { agencyId: search.agencyId });
    if (search.domain) builder.andWhere('d.domain = :domain', { domain: search.domain });
    if (search.penaltyKind) {
      const kind = escapeLike(search.penaltyKind);
      builder.andWhere(
        "(d.penalty_kinds = :kind OR d.penalty_kinds LIKE :kindFirst ESCAPE '!' OR d.penalty_kinds LIKE :kindLast ESCAPE '!' OR d.penalty_kinds LIKE :kindInner ESCAPE '!')",
        { kind: search.penaltyKind, kindFirst: `${kind},%`, kindLast: `%,${kind}`, kindInner: `%,${kind},%` },
      );
    }
    if (search.from) builder.andWhere('d.decided_at >= :from', { from: startOfChinaDay(search.from) });
    if (search.to) builder.andWhere('d.decided_at < :to', { to: startOfChinaDay(addDays(search.to, 1)) });
    return builder;
  }

  /** The term of the keyword with the fewest postings (counted up to a bound), the cheapest to read in order. */
  private async rarest(terms: string[]): Promise<string> {
    if (terms.length === 1) return terms[0];
    // One statement for all the terms: a round trip each weighed more than the counting on a busy server.
    const rows = (await this.dataSource.query(
      terms
        .map(
          (_, i) => `SELECT ${i} AS i, COUNT(*) AS n FROM (SELECT 1 AS one FROM disclosure_search_terms WHERE term = ? LIMIT ?) probe${i}`,
        )
        .join(' UNION ALL '),
      terms.flatMap((term) => [term, RARITY_PROBE]),
    )) as Array<{ i: number | string; n: number | string }>;
    const counts = new Map(rows.map((row) => [Number(row.i), Number(row.n)]));
    let best = 0;
    terms.forEach((_, i) => {
      if ((counts.get(i) ?? 0) < (counts.get(best) ?? 0)) best = i;
    });
    return terms[best];
  }

  /** Every decision of a year (by its Shanghai decision day), as the annual statistics count it. */
  async statisticsRowsOf(year: number): Promise<StatisticsRow[]> {
    const rows = await this.dataSource
      .getRepository(DisclosureEntity)
      .createQueryBuilder('d')
      .select(['d.id', 'd.agencyId', 'd.status', 'd.penaltyKinds', 'd.fineFen', 'd.confiscationFen', 'd.dueAt', 'd.publishedAt'])
      .where('d.decided_at >= :from AND d.decided_at < :to', {
        from: startOfChinaDay(`${year}-01-01`),
        to: startOfChinaDay(`${year + 1}-01-01`),
      })
      .andWhere("d.status <> 'cancelled'")
      .getMany();
    return rows.map((row) => ({
      agencyId: row.agencyId,
      status: row.status,
      penaltyKinds: row.penaltyKinds ? row.penaltyKinds.split(',') : [],
      fineFen: row.fineFen,
      confiscationFen: row.confiscationFen,
      dueAt: row.dueAt,
      publishedAt: row.publishedAt,
    }));
  }

  /** A decision of the portal: published or withdrawn, within its period. */
  async byId(id: string, now = new Date()): Promise<DisclosureEntity | null> {
    const row = await this.dataSource.getRepository(DisclosureEntity).findOneBy({ id });
    if (!row || !row.publishedAt || !row.publicUntil || row.publicUntil <= now) return null;
    return row.status === 'published' || row.status === 'withdrawn' ? row : null;
  }

  /** Decisions published after `since` and still public, oldest first (the portal's live feed). */
  publishedSince(since: Date, limit: number): Promise<DisclosureEntity[]> {
    return this.dataSource.manager.find(DisclosureEntity, {
      where: { publishedAt: MoreThan(since), status: 'published' },
      order: { publishedAt: 'ASC' },
      take: limit,
    });
  }
}
