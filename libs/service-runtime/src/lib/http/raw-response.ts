import type { ServerResponse } from 'node:http';
import type { FastifyReply } from 'fastify';

/**
 * Takes an answer over from Fastify, for a handler that writes it on Node's response itself (a body written a batch
 * at a time, or a stream piped, whose failure must cut the connection rather than become an error answer). The status
 * and headers already set on the reply, the hooks' among them (CORS, security headers), go with it.
 */
export function takeOverResponse(reply: FastifyReply): ServerResponse {
  const headers = reply.getHeaders();
  reply.hijack();
  const raw = reply.raw;
  raw.statusCode = reply.statusCode;
  for (const [name, value] of Object.entries(headers)) if (value !== undefined) raw.setHeader(name, value);
  return raw;
}
