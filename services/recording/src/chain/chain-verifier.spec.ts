import { createHash } from 'node:crypto';
import { chainedContentOf, GENESIS_HASH, recordHash } from '../case-core/hash-chain';
import {
  ChainVerifier,
  type ChainEvidenceItem,
  type ChainRecord,
  type ChainVerificationInput,
  type ReadableChainRecord,
} from './chain-verifier';

const CASE_ID = '6f1c2d9e-0000-4000-8000-000000000001';
const sha = (text: string): string => createHash('sha256').update(text).digest('hex');
const VIDEO = { id: 'ev-1', bytes: 'body-camera video bytes' };

/** A chain built exactly as RecordAppenderService builds it. */
function buildChain(count: number, evidenceAt = 2): { records: ReadableChainRecord[]; evidence: ChainEvidenceItem[] } {
  const records: ReadableChainRecord[] = [];
  let previousHash = GENESIS_HASH;
  for (let sequence = 1; sequence <= count; sequence += 1) {
    const id = `rec-${sequence}`;
    const content = chainedContentOf({
      caseId: CASE_ID,
      sequence,
      stepType: sequence === 1 ? 'opening' : 'investigation',
      occurredAt: new Date(Date.UTC(2026, 0, sequence, 2, 0, 0, 123)),
      recordedAt: new Date(Date.UTC(2026, 0, sequence, 3)),
      recordedBy: 'officer-1',
      place: '上海市黄浦区',
      actingOfficerIds: ['officer-1', 'officer-2'],
      certificates: [{ officerId: 'officer-1', certificateId: 'cert-1', number: 'SH-HP-0001' }],
      fields: { proposedFine: 200 },
      text: `第 ${sequence} 条记录：现场检查，罚款 200 元`,
      evidence: sequence === evidenceAt ? [{ evidenceId: VIDEO.id, sha256: sha(VIDEO.bytes) }] : [],
      correctsRecordId: null,
      previousHash,
    });
    const hash = recordHash(content);
    records.push({ id, hash, content });
    previousHash = hash;
  }
  const evidence = count >= evidenceAt ? [{ id: VIDEO.id, sha256: sha(VIDEO.bytes), sealRecordId: `rec-${evidenceAt}` }] : [];
  return { records, evidence };
}

function inputOf(
  records: ChainRecord[],
  evidence: ChainEvidenceItem[],
  digestOf: ChainVerificationInput['digestOf'] = async () => sha(VIDEO.bytes),
): ChainVerificationInput {
  const last = records.at(-1);
  return {
    caseSummary: { id: CASE_ID, recordCount: records.length, chainHead: last ? last.hash : GENESIS_HASH },
    records,
    evidence,
    digestOf,
  };
}

/** Rewrites a record's content as a forger would, optionally re-hashing it so that it looks consistent. */
function rewrite(record: ReadableChainRecord, change: Partial<ReadableChainRecord['content']>, rehash = false): ReadableChainRecord {
  const content = { ...record.content, ...change };
  return { ...record, content, hash: rehash ? recordHash(content) : record.hash };
}

describe(ChainVerifier.name, () => {
  const at = new Date('2026-11-21T08:00:00.000Z');
  const sut = new ChainVerifier(() => at);

  it('finds an untouched chain intact and re-hashes each evidence object once', async () => {
    const { records, evidence } = buildChain(4);
    const digestOf = jest.fn(async () => sha(VIDEO.bytes));

    const report = await sut.verify(inputOf(records, evidence, digestOf));

    expect(report).toEqual({ intact: true, records: 4, evidence: 1, evidenceNotIncluded: 0, verifiedAt: at.toISOString() });
    expect(digestOf).toHaveBeenCalledTimes(1);
  });

  it('finds an empty case intact when its head is the genesis hash', async () => {
    const report = await sut.verify(inputOf([], []));
    expect(report).toMatchObject({ intact: true, records: 0, evidence: 0 });
  });

  it('reports a missing record as a sequence gap at the place it should be', async () => {
    const { records, evidence } = buildChain(4);
    const withoutSecond = [records[0], records[2], records[3]];

    const report = await sut.verify({ ...inputOf(records, evidence), records: withoutSecond });

    expect(report.intact).toBe(false);
    expect(report.firstBroken).toEqual({ reason: 'sequence-gap', sequence: 3, recordId: 'rec-3', expected: '2', actual: '3' });
    expect(report.records).toBe(2);
  });

  it('reports a duplicated record as a sequence gap', async () => {
    const { records, evidence } = buildChain(3);
    const report = await sut.verify({ ...inputOf(records, evidence), records: [records[0], records[1], records[1], records[2]] });
    expect(report.firstBroken).toMatchObject({ reason: 'sequence-gap', sequence: 2, expected: '3', actual: '2' });
  });

  it('reports a record changed and re-hashed by a forger at the next link', async () => {
    const { records, evidence } = buildChain(4);
    records[1] = rewrite(records[1], { text: '现场检查，罚款 20 元' }, true);

    const report = await sut.verify(inputOf(records, evidence));

    expect(report.firstBroken).toEqual({
      reason: 'previous-hash-mismatch',
      sequence: 3,
      recordId: 'rec-3',
      expected: records[1].hash,
      actual: records[2].content.previousHash,
    });
  });

  it('reports a record whose content changed under its stored hash', async () => {
    const { records, evidence } = buildChain(4);
    records[2] = rewrite(records[2], { text: '现场检查，罚款 300 元' });

    const report = await sut.verify(inputOf(records, evidence));

    expect(report.firstBroken).toEqual({
      reason: 'content-hash-mismatch',
      sequence: 3,
      recordId: 'rec-3',
      expected: records[2].hash,
      actual: recordHash(records[2].content),
    });
  });

  it('reports a record whose content can no longer be read as a content mismatch at its place', async () => {
    const { records, evidence } = buildChain(3);
    const broken: ChainRecord[] = [
      records[0],
      { id: 'rec-2', hash: records[1].hash, sequence: 2, unreadable: 'unreadable column fields' },
      records[2],
    ];

    const report = await sut.verify(inputOf(broken, evidence));

    expect(report.firstBroken).toEqual({
      reason: 'content-hash-mismatch',
      sequence: 2,
      recordId: 'rec-2',
      expected: records[1].hash,
      detail: 'unreadable column fields',
    });
  });

  it('reports a record moved in from another case, although it hashes correctly on its own', async () => {
    const { records, evidence } = buildChain(2);
    records[1] = rewrite(records[1], { caseId: 'another-case' }, true);
    const report = await sut.verify(inputOf(records, evidence));
    expect(report.firstBroken).toMatchObject({ reason: 'content-hash-mismatch', sequence: 2, detail: 'case id', actual: 'another-case' });
  });

  it('reports records cut off at the end through the case row: count first, then head', async () => {
    const { records, evidence } = buildChain(4);
    const full = inputOf(records, evidence);

    const truncated = await sut.verify({ ...full, records: records.slice(0, 3) });
    expect(truncated.firstBroken).toEqual({
      reason: 'chain-head-mismatch',
      sequence: 3,
      recordId: 'rec-3',
      expected: '3',
      actual: '4',
      detail: 'record count',
    });

    const wrongHead = await sut.verify({ ...full, caseSummary: { ...full.caseSummary, chainHead: records[2].hash } });
    expect(wrongHead.firstBroken).toEqual({
      reason: 'chain-head-mismatch',
      sequence: 4,
      recordId: 'rec-4',
      expected: records[3].hash,
      actual: records[2].hash,
      detail: 'chain head',
    });
  });

  it('reports an evidence row whose digest differs from the one its sealing record fixed', async () => {
    const { records, evidence } = buildChain(3);
    const forged = [{ ...evidence[0], sha256: sha('other bytes') }];

    const report = await sut.verify(inputOf(records, forged, async () => sha('other bytes')));

    expect(report.firstBroken).toEqual({
      reason: 'evidence-digest-mismatch',
      evidenceId: VIDEO.id,
      sequence: 2,
      recordId: 'rec-2',
      expected: sha(VIDEO.bytes),
      actual: sha('other bytes'),
      detail: 'evidence row digest',
    });
  });

  it('reports an evidence object whose stored bytes were replaced', async () => {
    const { records, evidence } = buildChain(3);

    const report = await sut.verify(inputOf(records, evidence, async () => sha('replaced bytes')));

    expect(report.firstBroken).toEqual({
      reason: 'evidence-digest-mismatch',
      evidenceId: VIDEO.id,
      sequence: 2,
      recordId: 'rec-2',
      expected: sha(VIDEO.bytes),
      actual: sha('replaced bytes'),
      detail: 'stored object',
    });
  });

  it('reports an evidence object that is gone from storage', async () => {
    const { records, evidence } = buildChain(3);
    const report = await sut.verify(inputOf(records, evidence, async () => 'missing'));
    expect(report.firstBroken).toMatchObject({ reason: 'evidence-missing', evidenceId: VIDEO.id, sequence: 2, recordId: 'rec-2' });
  });

  it('reports an evidence item the chain names but whose row was deleted', async () => {
    const { records } = buildChain(3);
    const report = await sut.verify(inputOf(records, []));
    expect(report.firstBroken).toMatchObject({
      reason: 'evidence-missing',
      evidenceId: VIDEO.id,
      sequence: 2,
      recordId: 'rec-2',
      detail: 'evidence item named in the chain',
    });
  });

  it('reports an evidence item no sealing record names', async () => {
    const { records, evidence } = buildChain(3);

    const unsealed = await sut.verify(inputOf(records, [...evidence, { id: 'ev-2', sha256: sha('x'), sealRecordId: 'rec-3' }]));
    expect(unsealed.firstBroken).toEqual({ reason: 'evidence-not-in-chain', evidenceId: 'ev-2', recordId: 'rec-3' });

    const repointed = await sut.verify(inputOf(records, [{ ...evidence[0], sealRecordId: 'rec-1' }]));
    expect(repointed.firstBroken).toEqual({ reason: 'evidence-not-in-chain', evidenceId: VIDEO.id, recordId: 'rec-1' });
  });

  it('checks the chain but counts evidence not included in an archive, without failing', async () => {
    const { records, evidence } = buildChain(3);
    const report = await sut.verify(inputOf(records, evidence, async () => 'not-included'));
    expect(report).toMatchObject({ intact: true, evidence: 1, evidenceNotIncluded: 1 });
  });

  it('reports the earliest break when there are several, without re-hashing evidence', async () => {
    const { records, evidence } = buildChain(5);
    records[3] = rewrite(records[3], { text: 'changed' });
    records[1] = rewrite(records[1], { place: '别处' });
    const digestOf = jest.fn(async () => sha('replaced'));

    const report = await sut.verify(inputOf(records, evidence, digestOf));

    expect(report.firstBroken).toMatchObject({ reason: 'content-hash-mismatch', sequence: 2 });
    expect(digestOf).not.toHaveBeenCalled();
  });
});
