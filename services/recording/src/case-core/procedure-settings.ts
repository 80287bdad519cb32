import { DEFAULT_PROCEDURE_POLICY, type ProcedurePolicy } from './case-procedure';
import { DEFAULT_THRESHOLDS, type PenaltyThresholds } from './penalties';
import type { TransactionScope } from './ports';

/**
 * An agency's procedure data: what counts as a large fine or confiscation (Art. 63, per province and domain), the
 * party's statement and defence period and the late-entry limit. Data, never constants in the rules.
 */
export interface AgencyProcedureSettings {
  thresholds: PenaltyThresholds;
  policy: ProcedurePolicy;
}

export const DEFAULT_AGENCY_PROCEDURE_SETTINGS: AgencyProcedureSettings = {
  thresholds: DEFAULT_THRESHOLDS,
  policy: DEFAULT_PROCEDURE_POLICY,
};

/**
 * Where an agency's settings come from: a table an administrator fills today; the legal-review catalog's events
 * (its Art. 63 large amounts) can feed the same port later.
 */
export interface ProcedureSettingsSource {
  settingsOf(agencyId: string, tx?: TransactionScope): Promise<AgencyProcedureSettings>;
}

/** The field of a record that says it was entered late, and why (set when it is recorded, hashed with the record). */
export const LATE_ENTRY_FIELD = 'lateEntryReason';
