import { chainedContentOf, GENESIS_HASH, recordHash } from './hash-chain';

describe('recordHash', () => {
  it('hashes a record over its canonical text: a stored record keeps its hash', () => {
    const content = chainedContentOf({
      caseId: 'c65989a3-6109-4224-907d-4cb4ff5eb4ef',
      sequence: 39,
      stepType: 'inspection',
      occurredAt: new Date('2026-12-01T02:29:27.469Z'),
      recordedAt: new Date('2026-12-01T02:29:29.804Z'),
      recordedBy: '3a844aeb-8739-4b76-ae14-736788a51464',
      place: '上海市黄浦区南京东路1号',
      actingOfficerIds: ['3a844aeb-8739-4b76-ae14-736788a51464', '8b409434-b0b8-452b-a99e-083d0f2d9a0c'],
      certificates: [{ officerId: '3a844aeb-8739-4b76-ae14-736788a51464', certificateId: '5f48142e', number: 'SH-BENCH-b' }],
      fields: { findings: { goods: ['台账', '票据'], count: 3 }, note: undefined },
      text: '调取进货台账及销售记录',
      evidence: [{ evidenceId: 'e1', sha256: 'ab'.repeat(32) }],
      correctsRecordId: null,
      previousHash: GENESIS_HASH,
    });
    // Computed with the first canonicalJson, before it moved to libs/canonical-json and was rewritten.
    expect(recordHash(content)).toBe('b4bc94ccc3728e1c852cd61853b294be07b56fcce87576cd47a195e0966a590f');
  });
});
