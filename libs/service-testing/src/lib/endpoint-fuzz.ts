import type { INestApplication } from '@nestjs/common';
import * as fc from 'fast-check';
import request from 'supertest';
import type { App } from 'supertest/types';

/** The parts of an OpenAPI 3 document the fuzzer reads. */
interface Schema {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, Schema>;
  items?: Schema;
  enum?: unknown[];
  format?: string;
  oneOf?: Schema[];
  anyOf?: Schema[];
  allOf?: Schema[];
}

interface Operation {
  summary?: string;
  operationId?: string;
  security?: Array<Record<string, string[]>>;
  parameters?: Array<{ name: string; in: string; schema?: Schema }>;
  requestBody?: { content?: Record<string, { schema?: Schema }> };
  responses?: Record<string, { content?: Record<string, { schema?: Schema }> }>;
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, Schema> };
}

/** One request the fuzzer made and why it failed the property. */
export interface FuzzFailure {
  method: string;
  path: string;
  status: number;
  body: string;
  sent: unknown;
}

export interface FuzzReport {
  /** Operations called and requests made. */
  operations: number;
  calls: number;
  /** How many answers had each status: a fuzz that only ever met 401 or 404 reached nothing. */
  byStatus: Record<number, number>;
  failures: FuzzFailure[];
}

export interface FuzzOptions {
  /** Fixed, so a failure found once is found again. */
  seed: number;
  /** Inputs tried per operation. */
  runs: number;
  /** Bearer tokens to call with (undefined: none); each request takes one of them. */
  tokens: ReadonlyArray<string | undefined>;
  /** Paths not to call (e.g. the documentation itself). */
  skip?: (path: string) => boolean;
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

/** Every operation of `document`, with its method and path template. */
export function documentedOperations(
  document: OpenApiDocument,
): Array<{ method: (typeof METHODS)[number]; path: string; operation: Operation }> {
  return Object.entries(document.paths).flatMap(([path, methods]) =>
    METHODS.filter((method) => methods[method]).map((method) => ({ method, path, operation: methods[method] })),
  );
}

/** Text a hostile or careless client sends: empty, huge, control characters, lone surrogates, SQL and path tricks. */
const nastyString = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom(
    '',
    ' ',
    '\u0000',
    '\uD800',
    'a\uDC00b',
    "' OR 1=1 --",
    '../../etc/passwd',
    '%00',
    '{}',
    'null',
    '-1',
    '1e309',
    '9'.repeat(40),
  ),
  fc.string({ minLength: 3000, maxLength: 3000 }),
);

const nastyNumber = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.constantFrom(0, -1, 0.5, Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER + 2, 1e308, -1e308),
);

/** Any JSON at all, shallow: the wrong type where a schema expects another. */
const anyJson: fc.Arbitrary<unknown> = fc.oneof(
  { depthSize: 'small' },
  fc.constant(null),
  fc.boolean(),
  nastyNumber,
  nastyString,
  fc.array(fc.oneof(fc.constant(null), fc.integer(), fc.string()), { maxLength: 4 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.oneof(fc.integer(), fc.string()), { maxKeys: 4 }),
);

/**
 * Values shaped like `schema` most of the time (the handler is reached), with anything else mixed in at every
 * level (the validation is reached): what a generator from the schema alone would never send.
 */
function arbitraryFor(schema: Schema | undefined, document: OpenApiDocument, depth = 0): fc.Arbitrary<unknown> {
  const resolved = resolve(schema, document);
  if (!resolved || depth > 4) return anyJson;
  const variants = resolved.oneOf ?? resolved.anyOf;
  if (variants) return fc.oneof(...variants.map((variant) => arbitraryFor(variant, document, depth + 1)), anyJson);
  if (resolved.allOf) return arbitraryFor(Object.assign({}, ...resolved.allOf.map((part) => resolve(part, document))), document, depth);
  let shaped: fc.Arbitrary<unknown>;
  if (resolved.enum) shaped = fc.constantFrom(...resolved.enum);
  else {
    const type = Array.isArray(resolved.type) ? resolved.type[0] : resolved.type;
    if (type === 'object' || resolved.properties) {
      const properties = resolved.properties ?? {};
      shaped = fc.record(
        Object.fromEntries(Object.entries(properties).map(([name, property]) => [name, arbitraryFor(property, document, depth + 1)])),
        { requiredKeys: [] },
      );
    } else if (type === 'array') shaped = fc.array(arbitraryFor(resolved.items, document, depth + 1), { maxLength: 3 });
    else if (type === 'string') {
      shaped =
        resolved.format === 'date-time'
          ? fc.oneof(
              fc.date({ noInvalidDate: true }).map((date) => date.toISOString()),
              nastyString,
            )
          : resolved.format === 'uuid'
            ? fc.oneof(fc.uuid(), nastyString)
            : nastyString;
    } else if (type === 'integer' || type === 'number') shaped = nastyNumber;
    else if (type === 'boolean') shaped = fc.boolean();
    else shaped = anyJson;
  }
  return fc.oneof({ weight: 4, arbitrary: shaped }, { weight: 1, arbitrary: anyJson });
}

function resolve(schema: Schema | undefined, document: OpenApiDocument): Schema | undefined {
  let current = schema;
  for (let hops = 0; current?.$ref && hops < 10; hops++) {
    const name = current.$ref.replace('#/components/schemas/', '');
    current = document.components?.schemas?.[name];
  }
  return current;
}

/** A path parameter: often a well-formed id (so the lookup runs), sometimes anything. */
const pathParameter = fc.oneof(
  { weight: 3, arbitrary: fc.uuid() },
  { weight: 1, arbitrary: nastyString.filter((text) => text.length > 0 && text.length < 200) },
);

/**
 * Calls every operation of `document` with `options.runs` generated inputs each (path parameters, query and body
 * from its schemas, or anything else) and returns the answers that break the platform's promise: every request
 * gets a 2xx, 3xx or 4xx with `{ code, message }`, never a 500 while the dependencies are up.
 */
export async function fuzzEndpoints(app: INestApplication, document: OpenApiDocument, options: FuzzOptions): Promise<FuzzReport> {
  const report: FuzzReport = { operations: 0, calls: 0, byStatus: {}, failures: [] };
  const server = app.getHttpServer() as App;
  let seed = options.seed;
  for (const [template, methods] of Object.entries(document.paths)) {
    if (options.skip?.(template)) continue;
    for (const method of METHODS) {
      const operation = methods[method];
      if (!operation) continue;
      report.operations++;
      const pathNames = (operation.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name);
      const queryParameters = (operation.parameters ?? []).filter((p) => p.in === 'query');
      const bodySchema = operation.requestBody?.content?.['application/json']?.schema;
      const input = fc.record({
        path: fc.tuple(...pathNames.map(() => pathParameter)),
        query: fc.record(
          Object.fromEntries(
            queryParameters.map((p) => [
              p.name,
              arbitraryFor(p.schema, document).map((value) => (typeof value === 'string' ? value : JSON.stringify(value))),
            ]),
          ),
          { requiredKeys: [] },
        ),
        body: bodySchema ? arbitraryFor(bodySchema, document) : fc.option(anyJson, { nil: undefined }),
        token: fc.constantFrom(...options.tokens),
      });
      for (const sent of fc.sample(input, { seed: seed++, numRuns: options.runs })) {
        const path = pathNames.reduce(
          (url, name, index) => url.replace(`{${name}}`, encodeURIComponent(wellFormed(sent.path[index]))),
          template,
        );
        const query = Object.fromEntries(Object.entries(sent.query).map(([name, value]) => [name, wellFormed(String(value))]));
        const client = request(server);
        let call = client[method](path).query(query);
        if (sent.token) call = call.set('Authorization', `Bearer ${sent.token}`);
        if (sent.body !== undefined && method !== 'get')
          call = call.set('Content-Type', 'application/json').send(JSON.stringify(sent.body));
        const response = await call;
        report.calls++;
        report.byStatus[response.status] = (report.byStatus[response.status] ?? 0) + 1;
        const broken = response.status >= 500 || (response.status >= 400 && !isErrorBody(response.body));
        if (broken) {
          report.failures.push({
            method: method.toUpperCase(),
            path: template,
            status: response.status,
            body: response.text.slice(0, 300),
            sent,
          });
        }
      }
    }
  }
  return report;
}

/** A URL cannot carry a lone surrogate (it has no UTF-8 form); the body can, and does. */
function wellFormed(text: string): string {
  return text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}

function isErrorBody(body: unknown): boolean {
  const candidate = body as { code?: unknown; message?: unknown } | null;
  return typeof candidate?.code === 'string' && typeof candidate.message === 'string';
}
