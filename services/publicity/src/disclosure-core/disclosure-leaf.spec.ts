import { canonicalJson } from '@enforcement/canonical-json';
import { orderLeaves, proofFor, verifyDisclosure, type DisclosureLeaf } from './disclosure-leaf';
import { leafHash, merkleRoot, sha256Hex } from './merkle';

const record = (n: number) => ({ id: `d${n}`, decisionNumber: `沪市监处〔2026〕${n}号`, fineYuan: '5000.00' });
const leafOf = (n: number, type: DisclosureLeaf['type'] = 'published'): DisclosureLeaf => ({
  type,
  disclosureId: `d${n}`,
  caseId: `c${n}`,
  at: `2026-03-02T0${n % 10}:00:00.000Z`,
  contentDigest: sha256Hex(canonicalJson(record(n))),
  chainHead: 'f'.repeat(64),
  ...(type === 'withdrawn' ? { withdrawalReason: '该行政处罚决定已被撤销。' } : {}),
});

describe(verifyDisclosure.name, () => {
  const leaves = orderLeaves([leafOf(3), leafOf(1), leafOf(2), leafOf(2, 'withdrawn'), leafOf(5)]).map(canonicalJson);
  const root = merkleRoot(leaves.map((leaf) => leafHash(leaf)));
  const proofOf = (id: string, type = 'published') => {
    const index = leaves.findIndex((leaf) => leaf.includes(`"disclosureId":"${id}"`) && leaf.includes(`"type":"${type}"`));
    return { ...proofFor('2026-03-02', leaves, index), root };
  };

  it('orders leaves by time, type and id', () => {
    expect(orderLeaves([leafOf(2, 'withdrawn'), leafOf(2), leafOf(1)]).map((l) => `${l.disclosureId}:${l.type}`)).toEqual([
      'd1:published',
      'd2:published',
      'd2:withdrawn',
    ]);
  });

  it('verifies a publication and a withdrawal against the day’s root', () => {
    expect(verifyDisclosure({ id: 'd2', record: record(2) }, proofOf('d2'), root)).toEqual({ ok: true, problems: [] });
    expect(verifyDisclosure({ id: 'd2', withdrawalReason: '该行政处罚决定已被撤销。' }, proofOf('d2', 'withdrawn'), root).ok).toBe(true);
  });

  it('fails a record changed behind the service’s back, another root, another disclosure’s proof, a changed reason', () => {
    expect(verifyDisclosure({ id: 'd2', record: { ...record(2), fineYuan: '500.00' } }, proofOf('d2'), root).problems).toEqual([
      'the published record differs from what was published that day',
    ]);
    expect(verifyDisclosure({ id: 'd2', record: record(2) }, proofOf('d2'), sha256Hex('another day')).ok).toBe(false);
    expect(verifyDisclosure({ id: 'd2', record: record(2) }, proofOf('d3'), root).ok).toBe(false);
    expect(verifyDisclosure({ id: 'd2', withdrawalReason: '另一理由' }, proofOf('d2', 'withdrawn'), root).ok).toBe(false);
    const forged = { ...proofOf('d2'), leaf: proofOf('d2').leaf.replace('"c2"', '"c9"') };
    expect(verifyDisclosure({ id: 'd2', record: record(2) }, forged, root).ok).toBe(false);
  });
});
