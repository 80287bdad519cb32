import { Injectable, Logger, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply as Response } from 'fastify';
import {
  authThrottled,
  authUnavailable,
  KeySourceUnavailableError,
  roleRequired,
  tokenRejected,
  TokenRejectedError,
  unauthenticated,
} from './auth-errors';
import type { AuthenticatedRequest } from './authenticated-request';
import type { AuthenticatedUser, Role } from './authenticated-user';
import { FailedAuthThrottle } from './failed-auth-throttle';
import { IS_PUBLIC_KEY } from './public.decorator';
import { ROLES_KEY } from './roles.decorator';
import { TokenVerifier } from './token-verifier';

type Access = { kind: 'public' } | { kind: 'authenticated'; roles: readonly Role[] };

const BEARER = /^Bearer +(\S+) *$/i;

/** The token from `Authorization: Bearer <token>`, or undefined when there is none. */
export function bearerToken(header: string | string[] | undefined): string | undefined {
  if (typeof header !== 'string') return undefined;
  return BEARER.exec(header)?.[1];
}

/**
 * Global guard: every HTTP route needs a valid bearer token unless it is @Public(), and the roles named by
 * @Roles(). Other transports (event consumers) are not requests from users and pass untouched.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  private readonly logger = new Logger(AuthGuard.name);
  private readonly throttle = new FailedAuthThrottle();

  constructor(
    private readonly reflector: Reflector,
    private readonly verifier: TokenVerifier,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const access = this.accessOf(context);
    if (access.kind === 'public') return true;

    const http = context.switchToHttp();
    const request = http.getRequest<AuthenticatedRequest>();
    const token = bearerToken(request.headers.authorization);
    if (token === undefined) {
      challenge(http.getResponse<Response>(), undefined);
      throw unauthenticated();
    }
    const address = request.ip ?? request.socket?.remoteAddress ?? 'unknown';
    const wait = this.throttle.retryAfterSeconds(address);
    if (wait > 0) {
      const response = http.getResponse<Response>();
      if (typeof response.header === 'function' && !response.sent) void response.header('Retry-After', String(wait));
      throw authThrottled();
    }
    const user = await this.verify(token, http.getResponse<Response>(), address);
    request.user = user;
    if (access.roles.length > 0 && !user.roles.some((role) => access.roles.includes(role))) throw roleRequired();
    return true;
  }

  private async verify(token: string, response: Response, address: string): Promise<AuthenticatedUser> {
    try {
      return await this.verifier.verify(token);
    } catch (error) {
      if (error instanceof TokenRejectedError) {
        // The reason helps diagnose a misconfigured identity provider; the token itself is never logged.
        this.logger.debug(`bearer token rejected: ${error.reason}`);
        this.throttle.recordFailure(address);
        challenge(response, 'invalid_token');
        throw tokenRejected(error.code);
      }
      if (error instanceof KeySourceUnavailableError) {
        this.logger.error(error.message);
        throw authUnavailable();
      }
      throw error;
    }
  }

  /** The handler's own metadata beats the controller's; at one level, @Roles beats @Public (fail closed). */
  private accessOf(context: ExecutionContext): Access {
    for (const target of [context.getHandler(), context.getClass()]) {
      const roles = this.reflector.get<Role[] | undefined>(ROLES_KEY, target);
      if (roles !== undefined) return { kind: 'authenticated', roles };
      if (this.reflector.get<boolean | undefined>(IS_PUBLIC_KEY, target) === true) return { kind: 'public' };
    }
    return { kind: 'authenticated', roles: [] };
  }
}

/** RFC 6750 §3: a 401 tells the client which scheme to use. */
function challenge(response: Response, error: 'invalid_token' | undefined): void {
  if (typeof response.header !== 'function' || response.sent) return;
  void response.header('WWW-Authenticate', error === undefined ? 'Bearer' : `Bearer error="${error}"`);
}
