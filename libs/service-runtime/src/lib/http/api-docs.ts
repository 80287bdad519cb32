import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { AUTH_ERRORS, bearerToken, TokenRejectedError, TokenVerifier } from '@enforcement/auth';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { completeOperations } from './api-operations';

export type ApiDocsAccess = 'public' | 'authenticated' | 'off';

/**
 * The OpenAPI document (/docs-json) and its pages (/docs). They map every route an attacker could try, so
 * anonymous callers get them only where an operator chose so (API_DOCS=public; embedded mode does, for
 * newcomers); by default a caller needs a valid bearer token, and `off` serves nothing.
 */
export function serveApiDocs(app: INestApplication, service: { title: string; description: string }, access: ApiDocsAccess): void {
  if (access === 'off') return;
  if (access === 'authenticated') {
    const verifier = app.get(TokenVerifier, { strict: false });
    app.use(
      ['/docs', '/docs-json', '/docs-yaml'],
      (request: IncomingMessage, response: ServerResponse, next: (error?: unknown) => void) => {
        const token = bearerToken(request.headers.authorization);
        if (token === undefined) return unauthenticated(response, 'Bearer', AUTH_ERRORS.UNAUTHENTICATED);
        verifier.verify(token).then(
          () => next(),
          (error: unknown) => {
            if (!(error instanceof TokenRejectedError)) return next(error);
            unauthenticated(response, 'Bearer error="invalid_token"', AUTH_ERRORS[error.code]);
          },
        );
      },
    );
  }
  const document = completeOperations(
    SwaggerModule.createDocument(
      app,
      new DocumentBuilder()
        .setTitle(service.title)
        .setDescription(service.description)
        .setVersion('1')
        // What OpenAPI assumes without servers, said outright: the paths are at the root of the host serving this document.
        .addServer('/', 'The host that serves this document')
        .addBearerAuth()
        .build(),
    ),
  );
  SwaggerModule.setup('docs', app, document);
}

/** A 401 written on the raw response: the middleware runs before Fastify's reply is in play. */
function unauthenticated(response: ServerResponse, challenge: string, body: object): void {
  response.statusCode = 401;
  response.setHeader('WWW-Authenticate', challenge);
  response.setHeader('Content-Type', 'application/json; charset=utf-8');
  response.end(JSON.stringify(body));
}
