import { STEP_TYPES } from '../case-core/step-types';
import { STEP_FIELDS, stepFieldsProblems } from './step-fields.dto';

describe('the fields of each step type', () => {
  it('has a fields class for every step type officers record, and none for those the system records', () => {
    const systemRecorded = [
      'opening',
      'evidence-sealed',
      'legal-review-result',
      'audio-video-gap-approval',
      'decision-extension-approval',
      'decision-alteration',
    ];
    expect(Object.keys(STEP_FIELDS).sort()).toEqual(STEP_TYPES.filter((type) => !systemRecorded.includes(type)).sort());
  });

  it('names each field of the wrong type by its path, nested penalties included', () => {
    const problems = stepFieldsProblems('hearing-notice', { hearingAt: 'soon', hearingPlace: 7 });
    expect(problems.map((problem) => problem.split(':')[0])).toEqual(expect.arrayContaining(['fields.hearingAt', 'fields.hearingPlace']));
    expect(problems.every((problem) => /^fields\.hearing(At|Place): /.test(problem))).toBe(true);
    expect(stepFieldsProblems('decision', { penalties: [{ kind: 'fine', amountFen: 1.5 }], partyPresent: 'no' })).toEqual([
      expect.stringMatching(/^fields\.penalties\.0\.amountFen: /),
      expect.stringMatching(/^fields\.partyPresent: /),
    ]);
    expect(stepFieldsProblems('notice', { penalties: [{ kind: 'caning' }] })).toEqual([
      expect.stringMatching(/^fields\.penalties\.0\.kind: /),
    ]);
  });

  it('checks a field by its own step type only: the same name may mean something else elsewhere', () => {
    expect(stepFieldsProblems('execution', { paid: 'yes' })).toHaveLength(1);
    expect(stepFieldsProblems('other', { paid: 'yes' })).toEqual([]);
  });

  it('lets through fields a type does not name, and values of the right type a rule refuses with its own code', () => {
    expect(stepFieldsProblems('inspection', { findings: '冷库内存放过期冷冻肉', anything: { nested: [1] } })).toEqual([]);
    expect(stepFieldsProblems('closing', { closingReason: '领导批准', reason: '不予处罚' })).toEqual([]);
    expect(stepFieldsProblems('rights-waiver', { partySignature: 'maybe' })).toEqual([]);
  });

  it('leaves to the procedure rules the types the system records, and to IsObject what is no object', () => {
    expect(stepFieldsProblems('opening', { penalties: 'x' })).toEqual([]);
    expect(stepFieldsProblems('no-such-type', { penalties: 'x' })).toEqual([]);
    expect(stepFieldsProblems('decision', ['penalties'])).toEqual([]);
    expect(stepFieldsProblems('decision', null)).toEqual([]);
  });

  it('does not change the fields it checks: they are recorded as sent', () => {
    const fields = { penalties: [{ kind: 'fine', amountFen: 100, note: '当场缴纳' }], decisionNumber: '罚〔2026〕1号', extra: true };
    const sent = JSON.parse(JSON.stringify(fields)) as unknown;
    expect(stepFieldsProblems('decision', fields)).toEqual([]);
    expect(fields).toEqual(sent);
  });
});
