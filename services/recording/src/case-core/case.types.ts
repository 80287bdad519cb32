import type { ProcedureState } from './procedure-state';

/** The case's own vocabulary, shared by the core, the entities that store it and the features above. */
export type Procedure = 'simplified' | 'general';
export type CaseStatus = 'open' | 'decided' | 'closed';
export type LegalReviewStatus = 'not-required' | 'required' | 'requested' | 'approved' | 'returned' | 'rejected';
export type PartyKind = 'natural-person' | 'organisation';

/** A certificate an acting officer showed (亮证执法, Art. 55), as returned by the certificate check. */
export interface ShownCertificate {
  officerId: string;
  certificateId: string;
  number: string;
}

/** What the core knows of a case: the row of `cases`, as a plain value. */
export interface CaseState {
  id: string;
  agencyId: string;
  caseNumber: string;
  domain: string;
  regionCode: string;
  procedure: Procedure;
  status: CaseStatus;
  allegedViolation: string;
  legalBasis: string;
  handlingOfficerIds: string[];
  requiresCollectiveDecision: boolean;
  legalReviewStatus: LegalReviewStatus;
  openedAt: Date;
  openedBy: string;
  closedAt: Date | null;
  recordCount: number;
  chainHead: string;
  /**
   * What the procedure rules need of the record so far, folded forward with every appended record; null (or
   * absent) on a row written before it existed, until the next append fills it from the record.
   */
  procedureState?: ProcedureState | null;
}

/** One entry of a case's hash-chained record, as a plain value (the row of `case_records`). */
export interface CaseRecord {
  id: string;
  caseId: string;
  sequence: number;
  stepType: string;
  occurredAt: Date;
  recordedAt: Date;
  recordedBy: string;
  place: string;
  actingOfficerIds: string[];
  certificates: ShownCertificate[];
  fields: Record<string, unknown>;
  text: string;
  evidence: Array<{ evidenceId: string; sha256: string }>;
  correctsRecordId: string | null;
  previousHash: string;
  hash: string;
}

/** A record to append, before the chain gives it a sequence and a hash. */
export interface NewRecord {
  stepType: string;
  occurredAt: Date;
  recordedBy: string;
  place: string;
  actingOfficerIds: string[];
  certificates: ShownCertificate[];
  fields: Record<string, unknown>;
  text: string;
  evidence: Array<{ evidenceId: string; sha256: string }>;
  correctsRecordId?: string | null;
}
