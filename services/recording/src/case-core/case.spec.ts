import { Case } from './case';
import { DomainEventBus } from './domain-event.bus';
import { GENESIS_HASH } from './hash-chain';

const opened = () =>
  Case.open({
    id: 'c1',
    agencyId: 'a1',
    caseNumber: '310101-2026-A100001',
    domain: 'market-regulation',
    regionCode: '310101',
    procedure: 'general',
    allegedViolation: '销售不合格产品',
    legalBasis: '《产品质量法》第四十九条',
    handlingOfficerIds: ['o1', 'o2'],
    requiresCollectiveDecision: false,
    openedAt: new Date('2026-03-02T01:00:00Z'),
    openedBy: 'o1',
    party: { kind: 'organisation', name: '某公司', isMinor: false },
  });

const step = (stepType: string, fields: Record<string, unknown> = {}) => ({
  stepType,
  occurredAt: new Date('2026-03-03T01:00:00Z'),
  recordedBy: 'o1',
  place: '',
  actingOfficerIds: ['o1', 'o2'],
  certificates: [],
  fields,
  text: '',
  evidence: [],
});

describe(Case.name, () => {
  it('opens at the genesis of its chain and raises CaseOpened', () => {
    const sut = opened();
    expect(sut.state).toMatchObject({ status: 'open', legalReviewStatus: 'not-required', recordCount: 0, chainHead: GENESIS_HASH });
    expect(sut.pullEvents().map((e) => e.type)).toEqual(['CaseOpened']);
  });

  it('chains each appended record onto the previous one', () => {
    const sut = opened();
    const first = sut.append(step('opening'));
    const second = sut.append(step('inspection'));
    expect([first.sequence, second.sequence]).toEqual([1, 2]);
    expect(second.previousHash).toBe(first.hash);
    expect(sut.state).toMatchObject({ recordCount: 2, chainHead: second.hash });
  });

  it('needs legal review after a notice of a heavy penalty, and closes with its closing record', () => {
    const sut = opened();
    sut.pullEvents();
    sut.stepRecorded('notice', sut.append(step('notice', { penalties: [{ kind: 'licence-revocation' }] })), 'organisation');
    expect(sut.pullChanges()).toEqual({ legalReviewStatus: 'required' });
    const closing = sut.append(step('closing', { reason: '不予处罚' }));
    sut.stepRecorded('closing', closing, 'organisation');
    expect(sut.pullChanges()).toEqual({ status: 'closed', closedAt: closing.recordedAt });
    expect(sut.pullEvents().map((e) => e.type)).toEqual(['RecordAppended', 'RecordAppended', 'CaseClosed']);
  });

  it('needs review when an agency head or a supervisor sends the case to it, unless already under review or decided', () => {
    const sut = opened();
    expect(sut.legalReviewDemanded()).toBe(true);
    expect(sut.pullChanges()).toEqual({ legalReviewStatus: 'required' });
    expect(sut.legalReviewDemanded()).toBe(false);
    const decided = opened();
    decided.stepRecorded('decision', decided.append(step('decision', { penalties: [{ kind: 'warning' }] })), 'organisation');
    decided.pullChanges();
    expect(decided.legalReviewDemanded()).toBe(false);
    expect(decided.pullChanges()).toEqual({});
  });

  it('needs review again when a new notice follows an approval (the approval held for the earlier proposal)', () => {
    const sut = opened();
    sut.stepRecorded('notice', sut.append(step('notice', { penalties: [{ kind: 'licence-revocation' }] })), 'organisation');
    sut.stepRecorded('legal-review', sut.append(step('legal-review')), 'organisation');
    sut.legalReviewConcluded('approved');
    expect(sut.state.legalReviewStatus).toBe('approved');
    sut.stepRecorded('notice', sut.append(step('notice', { penalties: [{ kind: 'fine', amountFen: 100 }] })), 'organisation');
    expect(sut.state.legalReviewStatus).toBe('required');
  });
});

describe(DomainEventBus.name, () => {
  it('runs in-transaction subscribers at once and after-commit ones only when told the transaction committed', async () => {
    const bus = new DomainEventBus<object>();
    const seen: string[] = [];
    bus.subscribe('CaseOpened', 'after-commit', async () => void seen.push('after'));
    bus.subscribe('CaseOpened', 'in-transaction', async () => void seen.push('in'));
    const tx = {};
    await bus.publish(tx, opened().pullEvents());
    expect(seen).toEqual(['in']);
    await bus.committed(tx);
    expect(seen).toEqual(['in', 'after']);
  });
});
