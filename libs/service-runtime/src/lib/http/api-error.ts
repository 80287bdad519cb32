import { HttpStatus } from '@nestjs/common';

/** The body of every error response: a stable machine-readable code and a message for people. */
export interface ApiErrorBody {
  code: string;
  message: string;
  details?: unknown;
}

/**
 * A refusal the domain explains: `code` is stable for clients, `message` is for end users (Chinese).
 * Throw it from domain classes; the HTTP layer maps it to a response.
 */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: HttpStatus = HttpStatus.UNPROCESSABLE_ENTITY,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'DomainError';
  }

  toBody(): ApiErrorBody {
    return { code: this.code, message: this.message, ...(this.details === undefined ? {} : { details: this.details }) };
  }
}

/** Codes and messages for refusals that come from HTTP itself rather than from the domain. */
export const HTTP_ERRORS: Record<number, { code: string; message: string }> = {
  400: { code: 'BAD_REQUEST', message: '请求格式不正确' },
  401: { code: 'UNAUTHENTICATED', message: '未登录或登录已失效' },
  403: { code: 'FORBIDDEN', message: '无权执行此操作' },
  404: { code: 'NOT_FOUND', message: '请求的资源不存在' },
  405: { code: 'METHOD_NOT_ALLOWED', message: '不支持该请求方法' },
  409: { code: 'CONFLICT', message: '与当前状态冲突' },
  413: { code: 'PAYLOAD_TOO_LARGE', message: '请求内容过大' },
  415: { code: 'UNSUPPORTED_MEDIA_TYPE', message: '不支持的内容类型' },
  429: { code: 'TOO_MANY_REQUESTS', message: '请求过于频繁，请稍后再试' },
  503: { code: 'SERVICE_UNAVAILABLE', message: '服务暂不可用，请稍后再试' },
};

/** The service's own database cannot be reached: the request was not carried out and may be sent again later. */
export const DATABASE_UNAVAILABLE = { code: 'DATABASE_UNAVAILABLE', message: '数据库暂不可用，请稍后再试' };

export const INTERNAL_ERROR = { code: 'INTERNAL_ERROR', message: '服务器内部错误，请稍后再试' };
