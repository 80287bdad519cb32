export interface JsonResponse {
  status: number;
  body: Record<string, unknown> & { code?: string };
}

/** A JSON request with a bearer token, as a client of the platform makes it. */
export async function call(method: string, url: string, token: string, body?: unknown): Promise<JsonResponse> {
  const response = await fetch(url, {
    method,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as JsonResponse['body']) : {} };
}
