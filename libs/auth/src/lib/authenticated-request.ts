import type { Request } from 'express';
import type { AuthenticatedUser } from './authenticated-user';

/** An HTTP request after AuthGuard: `user` is set on every route that is not @Public(). */
export interface AuthenticatedRequest extends Request {
  user?: AuthenticatedUser;
}
