import type { CaseRecord, CaseState, PartyKind } from './case.types';

/**
 * What happened to a case, raised by the Case aggregate and dispatched by the DomainEventBus to the features
 * that react: the deadlines (a record appended), the archive (a case closed), the service's own outbox events.
 */
export type CaseEvent =
  | { type: 'CaseOpened'; case: CaseState; party: { kind: PartyKind; name: string; isMinor: boolean } }
  | { type: 'RecordAppended'; case: CaseState; record: CaseRecord }
  | { type: 'LegalReviewRequested'; case: CaseState; record: CaseRecord }
  | { type: 'CaseDecided'; case: CaseState; record: CaseRecord }
  /** Art. 48: the decision was changed, revoked, or confirmed illegal or void (the alteration record says which). */
  | { type: 'DecisionAltered'; case: CaseState; record: CaseRecord }
  | { type: 'CaseClosed'; case: CaseState; record: CaseRecord };

export type CaseEventType = CaseEvent['type'];
export type CaseEventOf<T extends CaseEventType> = Extract<CaseEvent, { type: T }>;
