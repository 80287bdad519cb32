import { canonicalJson } from '@enforcement/canonical-json';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { orderLeaves, proofFor, type DisclosureLeaf } from '../disclosure-core/disclosure-leaf';
import { leafHash, merkleRoot, sha256Hex } from '../disclosure-core/merkle';
import { runVerifyDisclosureCli } from './verify-disclosure-cli';

const record = { id: 'd1', decisionNumber: '沪市监处〔2026〕1号', fineYuan: '5000.00' };
const leaf: DisclosureLeaf = {
  type: 'published',
  disclosureId: 'd1',
  caseId: 'c1',
  at: '2026-03-02T01:00:00.000Z',
  contentDigest: sha256Hex(canonicalJson(record)),
  chainHead: 'a'.repeat(64),
};
const other: DisclosureLeaf = { ...leaf, disclosureId: 'd2', caseId: 'c2', contentDigest: sha256Hex('x') };
const leaves = orderLeaves([leaf, other]).map(canonicalJson);
const root = merkleRoot(leaves.map((l) => leafHash(l)));
const proof = {
  ...proofFor(
    '2026-03-02',
    leaves,
    leaves.findIndex((l) => l.includes('"d1"')),
  ),
  root,
};

function run(args: string[], fetchJson?: Parameters<typeof runVerifyDisclosureCli>[2]) {
  const lines: string[] = [];
  const out = { stdout: (t: string) => lines.push(t), stderr: (t: string) => lines.push(t) };
  return runVerifyDisclosureCli(args, out, fetchJson).then((code) => ({ code, text: lines.join('') }));
}

describe('npm run verify-disclosure', () => {
  const dir = mkdtempSync(join(tmpdir(), 'verify-disclosure-'));
  const write = (name: string, value: unknown) => {
    const path = join(dir, name);
    writeFileSync(path, JSON.stringify(value));
    return path;
  };

  it('verifies saved files offline against the root (exit 0)', async () => {
    const result = await run([
      '--decision',
      write('d.json', { id: 'd1', status: 'published', record }),
      '--proof',
      write('p.json', { id: 'd1', proofs: [proof] }),
      '--root',
      root,
    ]);
    expect(result).toEqual({ code: 0, text: expect.stringContaining('VERIFIED d1: published on 2026-03-02') });
  });

  it('fails a changed record or another root (exit 1)', async () => {
    const changed = await run([
      '--decision',
      write('c.json', { id: 'd1', status: 'published', record: { ...record, fineYuan: '1.00' } }),
      '--proof',
      write('p2.json', proof),
      '--root',
      root,
    ]);
    expect(changed.code).toBe(1);
    expect(changed.text).toContain('the published record differs');
    const otherRoot = await run([
      '--decision',
      write('d2.json', { id: 'd1', status: 'published', record }),
      '--proof',
      write('p3.json', proof),
      '--root',
      sha256Hex('x'),
    ]);
    expect(otherRoot.code).toBe(1);
  });

  it('fetches from a portal', async () => {
    const bodies: Record<string, unknown> = {
      'http://portal/public/decisions/d1': { id: 'd1', status: 'published', record },
      'http://portal/public/decisions/d1/proof': { id: 'd1', proofs: [proof] },
    };
    const fetchJson = async (url: string) => ({ ok: url in bodies, status: url in bodies ? 200 : 404, json: async () => bodies[url] });
    expect((await run(['--url', 'http://portal/', '--id', 'd1', '--root', root], fetchJson)).code).toBe(0);
  });

  it('explains its usage (exit 2)', async () => {
    expect((await run([])).code).toBe(2);
    expect((await run(['--root', 'nothex'])).code).toBe(2);
    expect((await run(['--root', root])).code).toBe(2);
  });
});
