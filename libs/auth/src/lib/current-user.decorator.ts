import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { unauthenticated } from './auth-errors';
import type { AuthenticatedRequest } from './authenticated-request';
import type { AuthenticatedUser } from './authenticated-user';

export function currentUserOf(context: ExecutionContext): AuthenticatedUser {
  const user = context.switchToHttp().getRequest<AuthenticatedRequest>().user;
  // Only a @Public() route gets here without a user; handing it `undefined` typed as a user would be a lie.
  if (user === undefined) throw unauthenticated();
  return user;
}

/** The verified caller of the current HTTP request. */
export const CurrentUser = createParamDecorator((_data: unknown, context: ExecutionContext) => currentUserOf(context));
