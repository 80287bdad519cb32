import type { AuthenticatedUser } from '@enforcement/auth';
import { eventually } from './processes';

export interface JsonResponse {
  status: number;
  body: Record<string, unknown> & { code?: string };
}

/** A JSON request with a bearer token, as a client of the platform makes it. */
export async function call(
  method: string,
  url: string,
  token: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<JsonResponse> {
  const response = await fetch(url, {
    method,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as JsonResponse['body']) : {} };
}

export interface TokenSigner {
  sign(user: AuthenticatedUser): Promise<string>;
}

/**
 * The header with the own fresh token of every officer `body.coOfficerIds` names (X-Co-Officer-Tokens; Art. 42:
 * each acting officer confirms), signed anew each call since a proof confirms one action; none when none are named.
 */
export async function coOfficerProofs(signer: TokenSigner, agencyId: string, body: unknown): Promise<Record<string, string>> {
  const named = typeof body === 'object' && body !== null ? (body as { coOfficerIds?: unknown }).coOfficerIds : undefined;
  if (!Array.isArray(named) || named.length === 0) return {};
  const tokens = await Promise.all(named.map((id) => signer.sign({ userId: String(id), agencyId, roles: ['officer'] })));
  return { 'x-co-officer-tokens': tokens.join(',') };
}

/**
 * Waits until recording's pre-flight certificate check lets each officer through in `scope`. Recording learns the
 * certificates from events, each officer's on a partition of its own: one certificate known says nothing of the others.
 */
export async function untilRecordingKnowsCertificates(
  recording: string,
  scope: { domain: string; regionCode: string },
  officers: Record<string, { token: string }>,
  timeoutMs = 60_000,
): Promise<void> {
  const url = `${recording}/certificate-check?domain=${scope.domain}&regionCode=${scope.regionCode}`;
  for (const [key, officer] of Object.entries(officers)) {
    await eventually(
      async () => ((await call('GET', url, officer.token)).status === 200 ? true : undefined),
      timeoutMs,
      `officer ${key}'s certificate in the recording read model`,
    );
  }
}
