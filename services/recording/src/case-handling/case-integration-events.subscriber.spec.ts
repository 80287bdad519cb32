import { Events, recordingV1 } from '@enforcement/contracts';
import type { Transaction } from '@enforcement/events';
import type { FieldCipher } from '@enforcement/field-cipher';
import type { CaseRecord, CaseState } from '../case-core/case.types';
import { DomainEventBus } from '../case-core/domain-event.bus';
import type { CaseRepository } from '../cases/case.repository';
import type { EvidenceItemRepository } from '../evidence/evidence-item.repository';
import type { CaseRecordRepository } from '../records/case-record.repository';
import { CaseIntegrationEventsSubscriber } from './case-integration-events.subscriber';

const state = {
  id: 'case-1',
  agencyId: 'agency-1',
  legalBasis: '《中华人民共和国食品安全法》第一百二十四条',
  allegedViolation: '销售过期食品',
} as CaseState;

function alteration(fields: Record<string, unknown>, text = '行政复议决定变更'): CaseRecord {
  return {
    id: 'alt-1',
    caseId: state.id,
    sequence: 9,
    stepType: 'decision-alteration',
    occurredAt: new Date('2026-05-06T02:00:00Z'),
    recordedAt: new Date('2026-05-06T02:00:01Z'),
    recordedBy: 'officer-1',
    place: '',
    actingOfficerIds: ['officer-1'],
    certificates: [],
    fields: { decisionRecordId: 'd1', decisionNumber: '沪黄市监罚〔2026〕1号', ...fields },
    text,
    evidence: [],
    correctsRecordId: null,
    previousHash: 'p'.repeat(64),
    hash: 'h'.repeat(64),
  };
}

/** DecisionAltered as the subscriber puts it in the outbox, for one alteration record. */
async function emitted(record: CaseRecord): Promise<recordingV1.DecisionAltered> {
  const bus = new DomainEventBus<Transaction>();
  const records = { latestOfType: async () => ({ fields: { facts: '原决定认定的事实' } }) } as unknown as CaseRecordRepository;
  new CaseIntegrationEventsSubscriber(bus, {} as CaseRepository, records, {} as EvidenceItemRepository, {} as FieldCipher);
  const sent: Array<{ type: string; payload: unknown }> = [];
  const tx = {
    emit: async (definition: { schema: { typeName: string } }, payload: unknown) =>
      void sent.push({ type: definition.schema.typeName, payload }),
  };
  await bus.publish(tx as unknown as Transaction, [{ type: 'DecisionAltered', case: state, record }]);
  expect(sent.map((s) => s.type)).toEqual([Events.DecisionAltered.schema.typeName]);
  return sent[0].payload as recordingV1.DecisionAltered;
}

describe('DecisionAltered as recording emits it', () => {
  it('a change carries the decision as changed: its penalties, facts, legal basis, number, text and chain hash', async () => {
    const event = await emitted(
      alteration({
        kind: 'changed',
        penalties: [{ kind: 'fine', amountFen: 200_000 }],
        facts: '变更后认定的事实',
        legalBasis: '《中华人民共和国食品安全法》第一百二十二条',
        changedDecisionNumber: '沪黄市监罚〔2026〕1-1号',
        decisionText: '变更为罚款人民币贰仟元',
      }),
    );

    expect(event).toMatchObject({
      caseId: state.id,
      decisionNumber: '沪黄市监罚〔2026〕1号',
      kind: recordingV1.AlterationKind.CHANGED,
      changed: {
        penalties: [{ kind: 'fine', amountFen: 200_000n, description: '' }],
        factsSummary: '变更后认定的事实',
        legalBasis: '《中华人民共和国食品安全法》第一百二十二条',
        decisionNumber: '沪黄市监罚〔2026〕1-1号',
        decisionText: '变更为罚款人民币贰仟元',
        chainHead: 'h'.repeat(64),
      },
    });
  });

  it('what a change does not restate stands as decided: the decision’s facts, the case’s legal basis, the same number', async () => {
    const event = await emitted(alteration({ kind: 'changed', penalties: [{ kind: 'fine', amountFen: 200_000 }] }));

    expect(event.changed).toMatchObject({
      factsSummary: '原决定认定的事实',
      legalBasis: state.legalBasis,
      decisionNumber: '',
      decisionText: '',
    });
  });

  it('a revocation carries no changed decision', async () => {
    const event = await emitted(alteration({ kind: 'revoked' }, '人民法院判决撤销'));

    expect(event).toMatchObject({ kind: recordingV1.AlterationKind.REVOKED, reason: '人民法院判决撤销' });
    expect(event.changed).toBeUndefined();
  });
});
