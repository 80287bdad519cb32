import type { FastifyRequest } from 'fastify';
import type { AuthenticatedUser } from './authenticated-user';

/** A Fastify request of any route: path parameters and query as strings (or lists of them). */
export type HttpRequest = FastifyRequest<{ Params: Record<string, string | undefined>; Querystring: Record<string, unknown> }>;

/** An HTTP request after AuthGuard: `user` is set on every route that is not @Public(). */
export interface AuthenticatedRequest extends HttpRequest {
  user?: AuthenticatedUser;
}
