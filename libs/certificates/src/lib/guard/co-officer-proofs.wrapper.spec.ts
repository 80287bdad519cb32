import { CoOfficerProofReusedError, CoOfficerProofsService, type UnspentCoOfficerProofs } from '../co-officers/co-officer-proofs.service';
import { REFUSE_PROOF_REPLAY, UNSPENT_CO_OFFICER_PROOFS } from './certified-request';
import { spendsCoOfficerProofs } from './co-officer-proofs.wrapper';

/** The wrapper around a 'with-action' handler, on a request as the certificate guard leaves it. */
describe('spendsCoOfficerProofs', () => {
  const proofsService = new CoOfficerProofsService({} as never);
  const requestWith = (proofs: UnspentCoOfficerProofs, refuse?: (refusal: unknown) => Promise<never>) =>
    ({ method: 'POST', url: '/cases/1/steps?x=1', [UNSPENT_CO_OFFICER_PROOFS]: proofs, [REFUSE_PROOF_REPLAY]: refuse }) as never;
  const unspent = (): UnspentCoOfficerProofs => ({
    rows: [],
    action: { officerIds: ['a', 'b'], domain: 'market-regulation', regionCode: '310101', onSite: true },
    spent: false,
  });

  it('fails a handler that answered without spending the proofs: they could confirm another action', async () => {
    await expect(spendsCoOfficerProofs(requestWith(unspent()), async () => 'answer', {})).rejects.toThrow(
      "POST /cases/1/steps: the handler did not spend the co-officers' proofs",
    );
  });

  it('passes the answer of a handler that spent them, or set them aside because it acted on nothing', async () => {
    const spent = { ...unspent(), spent: true };
    const setAside = unspent();
    proofsService.setAside(setAside);

    await expect(spendsCoOfficerProofs(requestWith(spent), async () => 'recorded', {})).resolves.toBe('recorded');
    await expect(spendsCoOfficerProofs(requestWith(setAside), async () => 'answered again', {})).resolves.toBe('answered again');
  });

  it('refuses a proof the action found spent as the check refuses it', async () => {
    const refusal = { ok: false as const, code: 'CO_OFFICER_PROOF_REUSED', message: '已使用', officerId: 'b' };
    const refuse = jest.fn(async (seen: unknown) => {
      throw Object.assign(new Error('403'), { seen });
    });
    const replayed = spendsCoOfficerProofs(
      requestWith(unspent(), refuse),
      async () => {
        throw new CoOfficerProofReusedError(refusal as never);
      },
      {},
    );
    await expect(replayed).rejects.toMatchObject({ seen: refusal });
  });
});
