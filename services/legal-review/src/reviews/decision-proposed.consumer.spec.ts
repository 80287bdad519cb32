import { Events, recordingV1 } from '@enforcement/contracts';
import { create, type MessageInitShape } from '@bufbuild/protobuf';
import { snapshotOf } from './decision-proposed.consumer';

const digest = 'a'.repeat(64);
type Init = MessageInitShape<typeof recordingV1.DecisionProposedSchema>;
const event = (over: Init = {}) =>
  create(Events.DecisionProposed.schema, {
    caseId: 'case',
    agencyId: 'agency',
    proposalDigest: digest,
    partyKind: recordingV1.PartyKind.ORGANISATION,
    penalties: [{ kind: 'fine', amountFen: 100n, description: '' }],
    flags: ['complex', 'not-a-flag'],
    violationCode: 'V-1',
    discretionBand: 'general',
    illegalGainsFen: 5n,
    ...over,
  });

describe(snapshotOf.name, () => {
  it('keeps what the review needs, in the service own vocabulary', () => {
    expect(snapshotOf(event(), 'officer')).toMatchObject({
      caseId: 'case',
      partyKind: 'organisation',
      penalties: [{ kind: 'fine', amountFen: 100 }],
      flags: ['complex'],
      discretion: { violationCode: 'V-1', band: 'general', illegalGainsFen: 5 },
      proposedBy: 'officer',
    });
    expect(snapshotOf(event({ violationCode: '' }), 'officer').discretion).toBeNull();
  });

  it.each<[string, Init]>([
    ['no case', { caseId: '' }],
    ['no agency', { agencyId: '' }],
    ['no digest', { proposalDigest: '' }],
    ['a digest that is not SHA-256 hex', { proposalDigest: 'xyz' }],
    ['no party kind', { partyKind: recordingV1.PartyKind.UNSPECIFIED }],
    ['an unknown band', { discretionBand: 'harsh' }],
  ])('refuses a payload with %s (it goes to the dead letters)', (_case, over) => {
    expect(() => snapshotOf(event(over), 'officer')).toThrow();
  });
});
