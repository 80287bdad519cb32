import { Entity, PrimaryColumn } from 'typeorm';

/**
 * The keyword index of public decisions: one row per character or character pair of a decision's searchable text,
 * ordered by publication within a term so that a page of hits is read from the index alone.
 */
@Entity({ name: 'disclosure_search_terms' })
export class SearchTermEntity {
  @PrimaryColumn({ name: 'term', type: 'varchar', length: 8 })
  term: string;

  @PrimaryColumn({ name: 'published_at', type: 'datetime', precision: 3 })
  publishedAt: Date;

  @PrimaryColumn({ name: 'disclosure_id', type: 'varchar', length: 36 })
  disclosureId: string;
}
