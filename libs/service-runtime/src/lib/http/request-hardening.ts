import { HttpStatus } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { IncomingMessage, ServerResponse } from 'node:http';
import bodyParser from 'body-parser';
import type { FastifyInstance, FastifyRequest, FastifyServerOptions } from 'fastify';
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

/**
 * The Fastify server every service runs on. Paths match as they did on Express: whatever their case, with or
 * without a trailing slash; ids in paths may be longer than Fastify's default of 100 characters (a longer one
 * must reach its route to be refused there, not fall through to a 404).
 */
export const FASTIFY_OPTIONS: FastifyServerOptions = {
  // As on Express: a request arriving while the server closes is still served (graceful-close.ts ends its connection).
  return503OnClosing: false,
  routerOptions: { caseSensitive: false, ignoreTrailingSlash: true, maxParamLength: 2048 },
};

export interface HardeningOptions {
  /** Origins allowed to call the API from a browser; none: no CORS headers at all. */
  corsOrigins: string[];
  /** Where a request refused while its body is read leaves a line naming the refusal (its code). */
  accessLog: Pino;
}

type BodyParser = (request: IncomingMessage, response: ServerResponse, next: (error?: unknown) => void) => void;
type ParsedRequest = IncomingMessage & { body?: unknown };

export function hardenHttp(app: NestFastifyApplication, options: HardeningOptions): void {
  // Fastify sends no X-Powered-By and no ETag of its own: answers that gain from one (public pages, evidence) set theirs.
  const fastify = app.getHttpAdapter().getInstance() as unknown as FastifyInstance;
  fastify.addHook('onRequest', (request, reply, done) => {
    securityHeaders(request, reply.raw);
    done();
  });
  // Bodies are read as Express's body parsers read them (gzip, deflate and br decoded; UTF-8 only; their limits), and
  // only JSON and CSV: any other body is left unread, for the routes that stream it (evidence uploads). Fastify would
  // refuse content types it has no parser for; it is given no parser of its own.
  fastify.removeAllContentTypeParsers();
  const json = bodyParser.json({ limit: JSON_BODY_LIMIT_BYTES }) as BodyParser;
  fastify.addContentTypeParser('application/json', (request, _payload, done) =>
    readBody(json, request, options.accessLog, (error, body) => {
      if (error !== undefined) return done(error as Error);
      const problem = body !== null && typeof body === 'object' ? jsonShapeProblem(body) : undefined;
      if (!problem) return done(null, body);
      done(new DomainError(problem.code, problem.message, HttpStatus.BAD_REQUEST, [{ field: problem.path, problems: [problem.detail] }]));
    }),
  );
  // Spreadsheet exports (rosters) arrive as text/csv.
  const csv = bodyParser.text({ type: 'text/csv', limit: CSV_BODY_LIMIT_BYTES }) as BodyParser;
  fastify.addContentTypeParser('text/csv', (request, _payload, done) =>
    readBody(csv, request, options.accessLog, (error, body) => (error !== undefined ? done(error as Error) : done(null, body))),
  );
  fastify.addContentTypeParser('*', (_request, _payload, done) => done(null, undefined));
  if (options.corsOrigins.length > 0) app.enableCors({ origin: options.corsOrigins, maxAge: 600 });
}

function securityHeaders(request: FastifyRequest, response: ServerResponse): void {
  response.setHeader('X-Content-Type-Options', 'nosniff');
  response.setHeader('Referrer-Policy', 'no-referrer');
  // The API answers JSON; only the documentation pages are HTML, and they load their own scripts and styles.
  const path = request.url.split('?', 1)[0];
  const docs = path === '/docs' || path.startsWith('/docs/');
  response.setHeader(
    'Content-Security-Policy',
    docs
      ? "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; frame-ancestors 'none'; form-action 'none'"
      : "default-src 'none'; frame-ancestors 'none'",
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
 * Reads a body with one of the body parsers; its refusals leave as the platform's errors (Nest would turn some into
 * a bare 400), each with an access-log line that names the refusal.
 */
function readBody(parser: BodyParser, request: FastifyRequest, accessLog: Pino, done: (error: unknown, body?: unknown) => void): void {
  const raw = request.raw as ParsedRequest;
  parser(raw, undefined as unknown as ServerResponse, (error?: unknown) => {
    if (error === undefined) return done(undefined, raw.body);
    const refusal = bodyReadingRefusal(error);
    if (!refusal) return done(error);
    accessLog.info(
      {
        req: { method: request.method, url: maskUrl(request.originalUrl), remoteAddress: request.socket.remoteAddress },
        res: { statusCode: refusal[0] },
        code: refusal[1].code,
      },
      'request refused while reading its body',
    );
    done(new DomainError(refusal[1].code, refusal[1].message, refusal[0], refusal[1].details));
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
