import { emptyProcedureState, foldStep, procedureStateOf } from './procedure-state';

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
});
