import { ForbiddenException, HttpException, HttpStatus, ServiceUnavailableException, UnauthorizedException } from '@nestjs/common';

/*
 * libs/auth cannot use service-runtime's DomainError (service-runtime depends on auth), so the HTTP
 * exceptions carry the platform's `{ code, message }` body themselves; the global error filter passes such
 * bodies through unchanged.
 */

export type TokenRejectionCode = 'TOKEN_INVALID' | 'TOKEN_EXPIRED' | 'TOKEN_KEY_UNKNOWN' | 'TOKEN_LIFETIME_EXCEEDED';

/** The bearer token itself is unacceptable: bad signature, wrong issuer or audience, bad claims, expired. */
export class TokenRejectedError extends Error {
  constructor(
    readonly code: TokenRejectionCode,
    /** Why, for logs; never contains the token. */
    readonly reason: string,
  ) {
    super(`token rejected (${code}): ${reason}`);
    this.name = 'TokenRejectedError';
  }
}

/** The keys to check tokens against could not be obtained (JWKS endpoint down, slow or broken). */
export class KeySourceUnavailableError extends Error {
  constructor(reason: string, options?: { cause?: unknown }) {
    super(`verification keys unavailable: ${reason}`, options);
    this.name = 'KeySourceUnavailableError';
  }
}

export const AUTH_ERRORS = {
  UNAUTHENTICATED: { code: 'UNAUTHENTICATED', message: '未登录或登录已失效' },
  TOKEN_INVALID: { code: 'TOKEN_INVALID', message: '登录凭证无效，请重新登录' },
  TOKEN_EXPIRED: { code: 'TOKEN_EXPIRED', message: '登录已过期，请重新登录' },
  TOKEN_KEY_UNKNOWN: {
    code: 'TOKEN_KEY_UNKNOWN',
    message: '登录凭证不是由本平台信任的密钥签发的（例如由另一个 DATA_DIR 的本地签发器生成），请用本平台的签发器重新获取',
  },
  TOKEN_LIFETIME_EXCEEDED: { code: 'TOKEN_LIFETIME_EXCEEDED', message: '登录凭证的有效期超过允许的上限，请重新登录' },
  AUTH_THROTTLED: { code: 'AUTH_THROTTLED', message: '身份验证失败次数过多，请稍后再试' },
  ROLE_REQUIRED: { code: 'ROLE_REQUIRED', message: '当前账号无权执行此操作' },
  AGENCY_SCOPE: { code: 'AGENCY_SCOPE', message: '只能管理本机关的数据' },
  AUTH_UNAVAILABLE: { code: 'AUTH_UNAVAILABLE', message: '身份认证服务暂不可用，请稍后再试' },
} as const;

export function unauthenticated(): UnauthorizedException {
  return new UnauthorizedException({ ...AUTH_ERRORS.UNAUTHENTICATED });
}

export function tokenRejected(code: TokenRejectionCode): UnauthorizedException {
  return new UnauthorizedException({ ...AUTH_ERRORS[code] });
}

export function roleRequired(): ForbiddenException {
  return new ForbiddenException({ ...AUTH_ERRORS.ROLE_REQUIRED });
}

export function agencyScopeViolation(): ForbiddenException {
  return new ForbiddenException({ ...AUTH_ERRORS.AGENCY_SCOPE });
}

export function authUnavailable(): ServiceUnavailableException {
  return new ServiceUnavailableException({ ...AUTH_ERRORS.AUTH_UNAVAILABLE });
}

export function authThrottled(): HttpException {
  return new HttpException({ ...AUTH_ERRORS.AUTH_THROTTLED }, HttpStatus.TOO_MANY_REQUESTS);
}
