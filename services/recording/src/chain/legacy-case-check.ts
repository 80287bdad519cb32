import type { CaseState } from '../case-core/case.types';
import { procedureStateOf } from '../case-core/procedure-state';
import type { CaseEntity } from '../cases/case.entity';
import type { ChainSnapshotRepository } from './chain-snapshot.repository';
import { ChainVerifier } from './chain-verifier';

/**
 * For a case row written before state seals existed (cases/case-state-seal.ts): its state as it may be sealed, or
 * undefined when the row does not match its records. Its chain must verify intact (the evidence bytes are not
 * re-hashed) and its status, legal-review status and closing time must be what its records say; its procedure state
 * is not trusted but folded anew from the records.
 */
export function legacyCaseCheck(snapshots: ChainSnapshotRepository): (row: CaseEntity) => Promise<CaseState | undefined> {
  const verifier = new ChainVerifier();
  return async (row) => {
    const snapshot = await snapshots.snapshot(row.id);
    if (!snapshot) return undefined;
    const { found, partyKind, records, evidence } = snapshot;
    const report = await verifier.verify({
      caseSummary: {
        id: found.id,
        recordCount: found.recordCount,
        chainHead: found.chainHead,
        state: {
          status: found.status,
          legalReviewStatus: found.legalReviewStatus,
          closedAt: found.closedAt ? found.closedAt.toISOString() : null,
          partyKind,
          sealed: true,
        },
      },
      records,
      evidence,
      digestOf: async () => 'not-included',
    });
    if (!report.intact) return undefined;
    const steps = records.flatMap((record) =>
      'content' in record
        ? [
            {
              id: record.id,
              stepType: record.content.stepType,
              occurredAt: new Date(record.content.occurredAt),
              actingOfficerIds: record.content.actingOfficerIds,
              fields: record.content.fields,
            },
          ]
        : [],
    );
    return { ...found, procedureState: procedureStateOf(partyKind, steps) };
  };
}
