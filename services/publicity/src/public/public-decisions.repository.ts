import { Injectable } from '@nestjs/common';
import { addDays, startOfChinaDay } from '@enforcement/calendar';
import { applyKeyset, keysetPage, type KeysetPage, type KeysetPosition } from '@enforcement/service-runtime';
import { DataSource, MoreThan, type SelectQueryBuilder } from 'typeorm';
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
    page: { after?: KeysetPosition; limit: number },
    now = new Date(),
  ): Promise<KeysetPage<DisclosureEntity>> {
    const terms = search.keyword ? keywordTerms(search.keyword) : [];
    let builder: SelectQueryBuilder<DisclosureEntity>;
    let at: string;
    let id: string;
    if (terms.length > 0) {
      const term = await this.rarest(terms);
      builder = this.dataSource
        .getRepository(DisclosureEntity)
        .createQueryBuilder('d')
        .innerJoin(SearchTermEntity, 't', 't.disclosure_id = d.id')
        .where('t.term = :term', { term });
      // Every other piece of the keyword must be indexed for the same decision: checked in the term index itself (a
      // primary-key probe each), so a decision row is read only for the candidates left, for the exact match.
      terms
        .filter((other) => other !== term)
        .forEach((other, i) =>
          builder.andWhere(
            `EXISTS (SELECT 1 FROM disclosure_search_terms t${i} WHERE t${i}.term = :other${i} AND t${i}.published_at = t.published_at AND t${i}.disclosure_id = t.disclosure_id)`,
            { [`other${i}`]: other },
          ),
        );
      builder.andWhere("d.search_text LIKE :like ESCAPE '!'", { like: `%${escapeLike(normalizeForSearch(search.keyword ?? ''))}%` });
      [at, id] = ['t.published_at', 't.disclosure_id'];
    } else {
      builder = this.dataSource.getRepository(DisclosureEntity).createQueryBuilder('d').where('d.published_at IS NOT NULL');
      [at, id] = ['d.published_at', 'd.id'];
    }
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
    const rows = await applyKeyset(builder, { at, id, order: 'DESC' }, page).getMany();
    return keysetPage(rows, page.limit, (row) => ({ at: row.publishedAt ?? new Date(0), id: row.id }));
  }

  /** The term of the keyword with the fewest postings (counted up to a bound), the cheapest to read in order. */
  private async rarest(terms: string[]): Promise<string> {
    if (terms.length === 1) return terms[0];
    let best = terms[0];
    let bestCount = Number.POSITIVE_INFINITY;
    for (const term of terms) {
      const [row] = (await this.dataSource.query(
        'SELECT COUNT(*) AS n FROM (SELECT 1 AS one FROM disclosure_search_terms WHERE term = ? LIMIT ?) probe',
        [term, RARITY_PROBE],
      )) as Array<{ n: number | string }>;
      const count = Number(row?.n ?? 0);
      if (count === 0) return term;
      if (count < bestCount) [best, bestCount] = [term, count];
    }
    return best;
  }

  /** Every decision of a year (by its Shanghai decision day), for the annual statistics: counts only. */
  async ofYear(year: number): Promise<DisclosureEntity[]> {
    return this.dataSource
      .getRepository(DisclosureEntity)
      .createQueryBuilder('d')
      .select(['d.id', 'd.agencyId', 'd.status', 'd.penaltyKinds', 'd.fineFen', 'd.confiscationFen', 'd.dueAt', 'd.publishedAt'])
      .where('d.decided_at >= :from AND d.decided_at < :to', {
        from: startOfChinaDay(`${year}-01-01`),
        to: startOfChinaDay(`${year + 1}-01-01`),
      })
      .andWhere("d.status <> 'cancelled'")
      .getMany();
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
