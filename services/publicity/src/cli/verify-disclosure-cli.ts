import { readFile } from 'node:fs/promises';
import { verifyDisclosure, type LeafProof } from '../disclosure-core/disclosure-leaf';

export const VERIFY_DISCLOSURE_USAGE = `usage: npm run verify-disclosure -- --decision <decision.json> --proof <proof.json> --root <hex>
       npm run verify-disclosure -- --url <portal base URL> --id <disclosure id> --root <hex>

Checks a published decision against the Merkle root published for its day, offline from saved files
(GET /public/decisions/:id and GET /public/decisions/:id/proof) or fetched from a portal. The root is the one
you saved from the portal that day (GET /public/roots/:day): trust comes from it, never from the files.
Exit code 0 verified, 1 not verified, 2 usage error.
`;

export interface CliOutput {
  stdout(text: string): void;
  stderr(text: string): void;
}

type Fetch = (url: string) => Promise<{ ok: boolean; status: number; json(): Promise<unknown> }>;

function option(args: string[], name: string): string | undefined {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : undefined;
}

interface DecisionFile {
  id: string;
  status: 'published' | 'withdrawn';
  record?: unknown;
  withdrawalReason?: string;
}

/** The CLI's logic, testable: reads or fetches the decision and its proofs, checks them against the given root. */
export async function runVerifyDisclosureCli(
  args: string[],
  out: CliOutput,
  fetchJson: Fetch = fetch as unknown as Fetch,
): Promise<number> {
  const root = option(args, '--root');
  if (!root || !/^[0-9a-f]{64}$/.test(root)) {
    out.stderr(VERIFY_DISCLOSURE_USAGE);
    return 2;
  }
  let decision: DecisionFile;
  let proofs: LeafProof[];
  const url = option(args, '--url');
  if (url) {
    const id = option(args, '--id');
    if (!id) {
      out.stderr(VERIFY_DISCLOSURE_USAGE);
      return 2;
    }
    const get = async (path: string) => {
      const response = await fetchJson(`${url.replace(/\/$/, '')}${path}`);
      if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
      return response.json();
    };
    decision = (await get(`/public/decisions/${encodeURIComponent(id)}`)) as DecisionFile;
    proofs = ((await get(`/public/decisions/${encodeURIComponent(id)}/proof`)) as { proofs: LeafProof[] }).proofs;
  } else {
    const decisionFile = option(args, '--decision');
    const proofFile = option(args, '--proof');
    if (!decisionFile || !proofFile) {
      out.stderr(VERIFY_DISCLOSURE_USAGE);
      return 2;
    }
    decision = JSON.parse(await readFile(decisionFile, 'utf8')) as DecisionFile;
    const proofJson = JSON.parse(await readFile(proofFile, 'utf8')) as { proofs?: LeafProof[] } | LeafProof;
    proofs = 'proofs' in proofJson && proofJson.proofs ? proofJson.proofs : [proofJson as LeafProof];
  }
  const candidates = proofs.filter((proof) => proof.root === root);
  const tried = candidates.length > 0 ? candidates : proofs;
  if (tried.length === 0) {
    out.stdout(`NOT VERIFIED ${decision.id}: no proof (the day's root is computed after the day ends)\n`);
    return 1;
  }
  for (const proof of tried) {
    const result = verifyDisclosure({ id: decision.id, record: decision.record, withdrawalReason: decision.withdrawalReason }, proof, root);
    if (result.ok) {
      out.stdout(
        `VERIFIED ${decision.id}: ${JSON.parse(proof.leaf).type} on ${proof.day}, leaf ${proof.index + 1} of ${proof.size}, root ${root}\n`,
      );
      return 0;
    }
    out.stdout(`NOT VERIFIED ${decision.id} (${proof.day}): ${result.problems.join('; ')}\n`);
  }
  return 1;
}
