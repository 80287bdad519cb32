import { createHash } from 'node:crypto';
import type { FastifyRequest as Request, FastifyReply as Response } from 'fastify';

/**
 * Public answers carry a strong ETag (SHA-256 of the body) and Cache-Control; a client or proxy that sends the ETag
 * back in If-None-Match gets 304 without the body.
 */
export function cached<T>(request: Request, response: Response, body: T, maxAgeSeconds: number): T | undefined {
  const json = JSON.stringify(body);
  const etag = `"${createHash('sha256').update(json).digest('base64url').slice(0, 32)}"`;
  response.header('ETag', etag);
  response.header('Cache-Control', `public, max-age=${maxAgeSeconds}`);
  const sent = request.headers['if-none-match'];
  if (sent && sent.split(',').some((tag) => tag.trim() === etag || tag.trim() === `W/${etag}`)) {
    response.status(304);
    return undefined;
  }
  return body;
}
