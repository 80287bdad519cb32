import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { PartyKind } from '../case-core/case.types';

export type { PartyKind };

/**
 * The party (当事人). Identifying numbers and contact data are sensitive: stored encrypted (AES-256-GCM,
 * `enc:v1:` prefix) and never logged, published or sent in events.
 */
@Entity({ name: 'case_parties' })
export class CasePartyEntity {
  @PrimaryColumn({ name: 'case_id', type: 'varchar', length: 36 })
  caseId: string;

  @Column({ name: 'kind', type: 'varchar', length: 16 })
  kind: PartyKind;

  @Column({ name: 'name', type: 'varchar', length: 200 })
  name: string;

  /** Resident ID number or unified social credit code, encrypted. */
  @Column({ name: 'identifier_encrypted', type: 'text' })
  identifierEncrypted: string;

  /** Phone and address, encrypted JSON. */
  @Column({ name: 'contact_encrypted', type: 'text' })
  contactEncrypted: string;

  /** Decisions against minors are never published. */
  @Column({ name: 'is_minor', type: 'boolean', default: false })
  isMinor: boolean;
}
