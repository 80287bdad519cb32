import { emptyCaseCourse, foldCourse } from './case-course';
import type { CourseFacts } from './course-facts';
import { alterationFields, checkAlteration } from './decision-alteration';
import { RecordingError } from './recording.error';

const decided: CourseFacts = {
  status: 'decided',
  legalReviewStatus: 'not-required',
  course: foldCourse(emptyCaseCourse(), {
    id: 'd1',
    stepType: 'decision',
    occurredAt: new Date('2026-03-10T01:00:00Z'),
    fields: { penalties: [{ kind: 'fine', amountFen: 500_000 }], partyPresent: false, decisionNumber: '罚〔2026〕1号' },
  }),
  hearingRequestedAt: null,
  latestHearingAt: null,
};

const changedDecision = {
  facts: '当事人销售超过保质期的食品',
  legalBasis: '《中华人民共和国食品安全法》第一百二十四条',
  changedDecisionNumber: '罚〔2026〕1-1号',
  decisionText: '变更为罚款人民币贰仟元',
};

function refusal(work: () => void): { code: string; details?: Record<string, unknown> } | undefined {
  try {
    work();
  } catch (error) {
    if (error instanceof RecordingError) return { code: error.code, details: error.details };
    throw error;
  }
  return undefined;
}

describe('the decision as changed (Art. 48)', () => {
  it('takes the kind, the penalties and, for a change, what it states of the decision; nothing else of the request', () => {
    const fields = alterationFields({
      kind: 'changed',
      penalties: [{ kind: 'fine', amountFen: 200_000 }],
      ...changedDecision,
      basis: '沪黄府复〔2026〕12号',
      facts: changedDecision.facts,
    });

    expect(fields).toEqual({ kind: 'changed', penalties: [{ kind: 'fine', amountFen: 200_000 }], ...changedDecision });
    expect(alterationFields({ kind: 'revoked', facts: 7 as unknown as string })).toEqual({ kind: 'revoked' });
  });

  it('a change may state its facts, legal basis, number and text beside its penalties', () => {
    const fields = alterationFields({ kind: 'changed', penalties: [{ kind: 'fine', amountFen: 200_000 }], ...changedDecision });

    expect(refusal(() => checkAlteration(decided, { kind: 'changed', fields }))).toBeUndefined();
  });

  it('a revocation or a confirmation states none of them, each refused by name', () => {
    for (const kind of ['revoked', 'confirmed-illegal', 'confirmed-void'] as const) {
      for (const [name, value] of Object.entries(changedDecision)) {
        expect(refusal(() => checkAlteration(decided, { kind, fields: alterationFields({ kind, [name]: value }) }))).toMatchObject({
          code: 'DECISION_RESTATEMENT_NOT_ALLOWED',
          details: { fields: [name] },
        });
      }
    }
  });

  it('a change still needs its penalties: the rest of the decision without them is refused', () => {
    expect(
      refusal(() => checkAlteration(decided, { kind: 'changed', fields: alterationFields({ kind: 'changed', ...changedDecision }) }))?.code,
    ).toBe('PENALTY_REQUIRED');
  });
});
