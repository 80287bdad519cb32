import { HttpStatus } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import type { Logger as Pino } from 'pino';
import { maskUrl } from '../logging/mask-url';
import { DomainError, type ApiErrorBody } from './api-error';

/**
 * What every service does to a request before any controller sees it: bodies parsed within limits, JSON
 * whose shape could hurt the process refused, and the headers that keep browsers from misreading answers.
 */
export const JSON_BODY_LIMIT_BYTES = 100 * 1024;
export const CSV_BODY_LIMIT_BYTES = 10 * 1024 * 1024;
/** Deeper than any DTO of the platform; the validation pipe walks a body recursively. */
export const MAX_JSON_DEPTH = 32;
/** Keys that address an object's prototype: refused anywhere in a body rather than left to every mapper downstream. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

export interface HardeningOptions {
  /** Origins allowed to call the API from a browser; none: no CORS headers at all. */
  corsOrigins: string[];
  /** Where a request refused before the access logger saw it still leaves its line. */
  accessLog: Pino;
}

export function hardenHttp(app: NestExpressApplication, options: HardeningOptions): void {
  app.disable('x-powered-by');
  // Express would hash every answer for a weak ETag; answers that gain from one (public pages, evidence) set their own.
  app.set('etag', false);
  app.use(securityHeaders);
  app.use(refusingClearly(express.json({ limit: JSON_BODY_LIMIT_BYTES }), options.accessLog));
  // Spreadsheet exports (rosters) arrive as text/csv.
  app.use(refusingClearly(express.text({ type: 'text/csv', limit: CSV_BODY_LIMIT_BYTES }), options.accessLog));
  app.use(jsonShapeGuard);
  if (options.corsOrigins.length > 0) app.enableCors({ origin: options.corsOrigins, maxAge: 600 });
}

function securityHeaders(request: Request, response: Response, next: NextFunction): void {
  response.setHeader('X-Content-Type-Options', 'nosniff');
  response.setHeader('Referrer-Policy', 'no-referrer');
  // The API answers JSON; only the documentation pages are HTML, and they load their own scripts and styles.
  const docs = request.path === '/docs' || request.path.startsWith('/docs/');
  response.setHeader(
    'Content-Security-Policy',
    docs
      ? "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; frame-ancestors 'none'; form-action 'none'"
      : "default-src 'none'; frame-ancestors 'none'",
  );
  next();
}

function jsonShapeGuard(request: Request, _response: Response, next: NextFunction): void {
  const body: unknown = request.body;
  if (body === null || typeof body !== 'object') return next();
  const problem = jsonShapeProblem(body);
  next(
    problem
      ? new DomainError(problem.code, problem.message, HttpStatus.BAD_REQUEST, [{ field: problem.path, problems: [problem.detail] }])
      : undefined,
  );
}

interface ShapeProblem {
  code: 'JSON_TOO_DEEP' | 'FORBIDDEN_JSON_KEY' | 'MALFORMED_TEXT';
  message: string;
  path: string;
  detail: string;
}

/**
 * A lone UTF-16 surrogate (\uD800 in JSON with no partner) has no UTF-8 form: the database would store U+FFFD
 * while a hash was computed over the original, so a record verified before storage would fail verification
 * for ever. Text the platform stores is well-formed Unicode or refused.
 */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function malformedText(path: string): ShapeProblem {
  return {
    code: 'MALFORMED_TEXT',
    message: '请求内容含有无法保存的字符（孤立的 UTF-16 代理项），请检查输入',
    path,
    detail: 'contains a lone UTF-16 surrogate',
  };
}

/** Walks the body without recursion (a hostile depth must not cost the stack) and reports the first problem. */
export function jsonShapeProblem(body: object): ShapeProblem | undefined {
  const pending: Array<{ value: object; depth: number; path: string }> = [{ value: body, depth: 1, path: 'body' }];
  for (let next = pending.pop(); next; next = pending.pop()) {
    if (next.depth > MAX_JSON_DEPTH) {
      return {
        code: 'JSON_TOO_DEEP',
        message: `请求内容嵌套过深（上限 ${MAX_JSON_DEPTH} 层）`,
        path: next.path,
        detail: `nested deeper than ${MAX_JSON_DEPTH} levels`,
      };
    }
    for (const key of Object.keys(next.value)) {
      const path = `${next.path}.${key}`;
      if (FORBIDDEN_KEYS.has(key)) {
        return { code: 'FORBIDDEN_JSON_KEY', message: `请求内容含有不允许的字段名 ${key}`, path, detail: `the key ${key} is not allowed` };
      }
      if (LONE_SURROGATE.test(key)) return malformedText(next.path);
      const child: unknown = (next.value as Record<string, unknown>)[key];
      if (typeof child === 'string' && LONE_SURROGATE.test(child)) return malformedText(path);
      if (child !== null && typeof child === 'object') pending.push({ value: child, depth: next.depth + 1, path });
    }
  }
  return undefined;
}

/**
 * A body parser whose refusals leave as the platform's errors (Nest would turn some into a bare 400), each
 * with an access-log line: the access logger runs after the body is read, so it never sees these requests.
 */
function refusingClearly(parser: RequestHandler, accessLog: Pino): RequestHandler {
  return (request, response, next) =>
    parser(request, response, (error?: unknown) => {
      if (error === undefined) return next();
      const refusal = bodyReadingRefusal(error);
      if (!refusal) return next(error);
      accessLog.info(
        {
          req: { method: request.method, url: maskUrl(request.originalUrl), remoteAddress: request.socket.remoteAddress },
          res: { statusCode: refusal[0] },
          code: refusal[1].code,
        },
        'request refused while reading its body',
      );
      next(new DomainError(refusal[1].code, refusal[1].message, refusal[0], refusal[1].details));
    });
}

/** The refusals of the body parsers (express's body-parser, zlib) as the platform's error bodies; undefined for others. */
export function bodyReadingRefusal(exception: unknown): [number, ApiErrorBody] | undefined {
  if (!(exception instanceof Error)) return undefined;
  const error = exception as Error & {
    type?: unknown;
    status?: unknown;
    limit?: unknown;
    length?: unknown;
    code?: unknown;
    expose?: unknown;
  };
  switch (error.type) {
    case 'entity.too.large':
      return [
        HttpStatus.PAYLOAD_TOO_LARGE,
        {
          code: 'PAYLOAD_TOO_LARGE',
          message: `请求内容过大（上限 ${String(error.limit)} 字节）`,
          details: { limit: error.limit, length: error.length },
        },
      ];
    case 'entity.parse.failed':
      return [HttpStatus.BAD_REQUEST, { code: 'MALFORMED_JSON', message: '请求内容不是有效的 JSON' }];
    case 'encoding.unsupported':
      return [
        HttpStatus.UNSUPPORTED_MEDIA_TYPE,
        { code: 'UNSUPPORTED_CONTENT_ENCODING', message: '不支持该内容编码（可用 gzip、deflate、br）' },
      ];
    case 'charset.unsupported':
      return [HttpStatus.UNSUPPORTED_MEDIA_TYPE, { code: 'UNSUPPORTED_CHARSET', message: '不支持该字符集（请使用 UTF-8）' }];
    case 'request.aborted':
    case 'request.size.invalid':
      return [HttpStatus.BAD_REQUEST, { code: 'MALFORMED_BODY', message: '请求内容不完整' }];
  }
  // A body declared compressed that is not (zlib's Z_DATA_ERROR and friends), passed on by body-parser as a 400.
  if (error.status === 400 && error.expose === true) {
    return [HttpStatus.BAD_REQUEST, { code: 'MALFORMED_BODY', message: '请求内容无法解码，请检查 Content-Encoding' }];
  }
  return undefined;
}
