import { emptyProcedureState, foldStep, isCurrentProcedureState, procedureStateOf, type ProcedureState } from './procedure-state';

const step = (id: string, stepType: string, occurredAt: string, fields: Record<string, unknown> = {}, actingOfficerIds = ['o1']) => ({
  id,
  stepType,
  occurredAt: new Date(occurredAt),
  actingOfficerIds,
  fields,
});

describe('procedure state', () => {
  it('keeps the latest step of each tracked type with only the fields the rules read', () => {
    const sut = procedureStateOf('organisation', [
      step('r1', 'notice', '2026-03-02T01:00:00Z', { penalties: [{ kind: 'fine', amountFen: 1 }], facts: 'long text' }),
      step('r2', 'inquiry', '2026-03-03T01:00:00Z'),
      step('r3', 'notice', '2026-03-04T01:00:00Z', { penalties: [] }),
    ]);
    expect(sut.latest.notice).toEqual({ id: 'r3', occurredAt: '2026-03-04T01:00:00.000Z', fields: { penalties: [] } });
    expect(sut.latest).not.toHaveProperty('inquiry');
  });

  it('keeps the latest hearing time whatever the order, and every officer who acted once', () => {
    const sut = emptyProcedureState('natural-person');
    foldStep(sut, step('r1', 'hearing', '2026-03-10T01:00:00Z', {}, ['o1', 'o2']));
    foldStep(sut, step('r2', 'hearing', '2026-03-05T01:00:00Z', {}, ['o3', 'o1']));
    expect(sut.latestHearingAt).toBe('2026-03-10T01:00:00.000Z');
    expect(sut.latest.hearing?.id).toBe('r2');
    expect(sut.actingOfficerIds).toEqual(['o1', 'o2', 'o3']);
    expect(JSON.parse(JSON.stringify(sut))).toEqual(sut);
  });

  it('keeps the latest investigation and step times, digests of the notice facts, and what calls for a collective decision', () => {
    const sut = procedureStateOf('organisation', [
      step('r1', 'inquiry', '2026-03-05T01:00:00Z'),
      step('r2', 'inspection', '2026-03-04T01:00:00Z'),
      step('r3', 'notice', '2026-03-06T01:00:00Z', { penalties: [], facts: ' 销售  过期食品 ', seriousViolation: true }),
      step('r4', 'other', '2026-03-03T01:00:00Z'),
    ]);
    expect(sut).toMatchObject({ investigatedAt: '2026-03-05T01:00:00.000Z', latestAt: '2026-03-06T01:00:00.000Z' });
    expect(sut.latest.notice?.digests?.['facts']).toHaveLength(64);
    expect(sut.latest.notice?.fields).not.toHaveProperty('facts');
    expect(sut.collectiveDecisionCalledFor).toBe(true);
    const reviewed = procedureStateOf('organisation', [
      step('r1', 'legal-review-result', '2026-03-06T01:00:00Z', { collectiveDecisionRequired: true }),
    ]);
    expect(reviewed.collectiveDecisionCalledFor).toBe(true);
  });

  it('treats a state of an older shape as missing, so it is folded anew from the record', () => {
    const old = {
      version: 1,
      partyKind: 'organisation',
      latest: {},
      latestHearingAt: null,
      actingOfficerIds: [],
    } as unknown as ProcedureState;
    expect(isCurrentProcedureState(old)).toBe(false);
    expect(isCurrentProcedureState(null)).toBe(false);
    expect(isCurrentProcedureState(emptyProcedureState('organisation'))).toBe(true);
  });
});
