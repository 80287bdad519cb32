import { canonicalJson } from '@enforcement/canonical-json';
import type { FieldCipher } from '@enforcement/field-cipher';
import type { CaseState } from '../case-core/case.types';

/** The blind-index purpose the seal's key is derived for: a key used for nothing else. */
const SEAL_PURPOSE = 'cases.state_seal';

/**
 * What the seal covers: every column of the case row the procedure gates read (status, legal-review status, the
 * compact procedure state, the chain's length and head, who handles it, where and since when), as one canonical
 * string. The procedure state is taken as stored (through JSON), so what is read back seals the same.
 */
export function sealedContentOf(state: CaseState): string {
  return canonicalJson({
    id: state.id,
    agencyId: state.agencyId,
    domain: state.domain,
    regionCode: state.regionCode,
    procedure: state.procedure,
    status: state.status,
    legalReviewStatus: state.legalReviewStatus,
    requiresCollectiveDecision: state.requiresCollectiveDecision,
    handlingOfficerIds: state.handlingOfficerIds,
    openedAt: state.openedAt.toISOString(),
    closedAt: state.closedAt ? state.closedAt.toISOString() : null,
    recordCount: state.recordCount,
    chainHead: state.chainHead,
    procedureState: JSON.parse(JSON.stringify(state.procedureState ?? null)) as unknown,
  });
}

/**
 * The case row's state seal (issue #11): an HMAC-SHA256, under a key derived from the service's field key, over
 * the row's gate-relevant columns bound to its record count and chain head. Written with every change of the row
 * (CaseRepository), checked whenever a case is loaded to be acted on: a status, a flag, the procedure state or the
 * record count edited behind the service's back no longer matches, and the case is refused (CASE_STATE_TAMPERED)
 * instead of letting a decision through. Cheap: one HMAC over a few hundred bytes, no statement.
 *
 * During a key rotation a seal made under a previous key still holds; the next change of the case seals it anew.
 */
export class CaseStateSeal {
  constructor(private readonly cipher: FieldCipher) {}

  of(state: CaseState): string {
    return this.cipher.blindIndex(sealedContentOf(state), SEAL_PURPOSE);
  }

  /** Whether `seal` is the seal of `state` under the current or a previous key (an unsealed row never holds). */
  holds(state: CaseState, seal: string | null | undefined): boolean {
    if (!seal) return false;
    return this.cipher.blindIndexes(sealedContentOf(state), SEAL_PURPOSE).includes(seal);
  }
}
