import { checkJudicialTransfer, checkPossibleCrimeSettled, foldPossibleCrime } from './judicial-transfer';
import { emptyProcedureState, foldStep } from './procedure-state';

const step = (stepType: string, fields: Record<string, unknown> = {}) => ({
  id: stepType,
  stepType,
  occurredAt: new Date('2026-03-02T01:00:00Z'),
  actingOfficerIds: ['o1'],
  fields,
});

function codeOf(work: () => unknown): string | undefined {
  try {
    work();
  } catch (error) {
    return (error as { code?: string }).code;
  }
  return undefined;
}

describe('judicial transfer (行刑衔接, Art. 27)', () => {
  it('opens on a legal-review result that found a possible crime and settles on a judicial-transfer step', () => {
    expect(foldPossibleCrime(undefined, step('legal-review-result', { possibleCrime: false }))).toBeUndefined();
    expect(foldPossibleCrime(undefined, step('legal-review-result', { possibleCrime: true }))).toBe(true);
    expect(foldPossibleCrime(true, step('inspection'))).toBe(true);
    expect(foldPossibleCrime(true, step('judicial-transfer', { transferred: false, reason: '不构成犯罪' }))).toBe(false);

    const state = emptyProcedureState('organisation');
    foldStep(state, step('legal-review-result', { possibleCrime: true }));
    expect(codeOf(() => checkPossibleCrimeSettled(state.possibleCrimeUnsettled))).toBe('JUDICIAL_TRANSFER_REQUIRED');
    foldStep(state, step('judicial-transfer', { transferred: true, receivingAuthority: '上海市公安局黄浦分局' }));
    expect(codeOf(() => checkPossibleCrimeSettled(state.possibleCrimeUnsettled))).toBeUndefined();
    expect(codeOf(() => checkPossibleCrimeSettled(emptyProcedureState('organisation').possibleCrimeUnsettled))).toBeUndefined();
  });

  it.each<[Record<string, unknown>, string | undefined]>([
    [{ transferred: true, receivingAuthority: '上海市公安局黄浦分局' }, undefined],
    [{ transferred: false, reason: '经审查不构成犯罪' }, undefined],
    [{}, 'JUDICIAL_TRANSFER_INVALID'],
    [{ transferred: 'yes' }, 'JUDICIAL_TRANSFER_INVALID'],
    [{ transferred: true }, 'JUDICIAL_TRANSFER_INVALID'],
    [{ transferred: false, reason: ' ' }, 'JUDICIAL_TRANSFER_INVALID'],
  ])('checks a judicial-transfer step %j', (fields, code) => {
    expect(codeOf(() => checkJudicialTransfer(fields))).toBe(code);
  });
});
