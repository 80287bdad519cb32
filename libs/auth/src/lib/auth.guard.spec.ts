import { Controller, Get, Module, type INestApplication, type LoggerService } from '@nestjs/common';
import { NestFactory, Reflector } from '@nestjs/core';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import request from 'supertest';
import { AuthGuard, bearerToken } from './auth.guard';
import { AuthModule } from './auth.module';
import type { AuthConfig, AuthenticatedUser } from './authenticated-user';
import { CurrentUser } from './current-user.decorator';
import { LocalIssuer } from './local-issuer';
import { Public } from './public.decorator';
import { Roles } from './roles.decorator';
import { nowSeconds, signTestToken, TEST_AUDIENCE, TEST_ISSUER, testClaims, testKeys, type TestKeys } from './test-support/test-tokens';
import { TokenVerifier } from './token-verifier';

@Controller('cases')
class CasesController {
  @Public()
  @Get('public')
  open(): { open: boolean } {
    return { open: true };
  }

  @Get('mine')
  mine(@CurrentUser() user: AuthenticatedUser): AuthenticatedUser {
    return user;
  }

  @Roles('agency-admin')
  @Get('admin')
  admin(@CurrentUser() user: AuthenticatedUser): { agencyId: string } {
    return { agencyId: user.agencyId };
  }
}

@Roles('supervisor', 'system-admin')
@Controller('oversight')
class OversightController {
  @Get()
  overview(): { ok: boolean } {
    return { ok: true };
  }

  @Public()
  @Get('published')
  published(): { ok: boolean } {
    return { ok: true };
  }
}

@Public()
@Controller('portal')
class PortalController {
  @Get()
  list(): { ok: boolean } {
    return { ok: true };
  }

  @Roles('reviewer')
  @Get('drafts')
  drafts(): { ok: boolean } {
    return { ok: true };
  }
}

function publicKeyConfig(pem: string): AuthConfig {
  return { issuer: TEST_ISSUER, audience: TEST_AUDIENCE, verification: { kind: 'public-key', pem } };
}

// @nestjs/testing is not a dependency of the workspace; a real application module serves the same purpose.
async function appWith(config: AuthConfig, logger: LoggerService | false = false): Promise<INestApplication> {
  @Module({
    imports: [AuthModule.forRoot(config)],
    controllers: [CasesController, OversightController, PortalController],
  })
  class TestAppModule {}

  const app = await NestFactory.create(TestAppModule, new FastifyAdapter(), { logger });
  await app.init();
  await (app.getHttpAdapter().getInstance() as { ready(): Promise<unknown> }).ready();
  return app;
}

describe(AuthGuard.name, () => {
  describe('in an application with a configured public key', () => {
    let keys: TestKeys;
    let sut: INestApplication;

    const bearer = async (overrides: Record<string, unknown> = {}): Promise<string> =>
      `Bearer ${await signTestToken(keys, testClaims(overrides))}`;

    beforeAll(async () => {
      keys = await testKeys('ES256');
      sut = await appWith(publicKeyConfig(keys.publicPem));
    });

    afterAll(async () => {
      await sut.close();
    });

    it('lets anyone reach a @Public() route, even with a broken token', async () => {
      await request(sut.getHttpServer()).get('/cases/public').expect(200, { open: true });
      await request(sut.getHttpServer()).get('/cases/public').set('Authorization', 'Bearer nonsense').expect(200);
    });

    it('answers 401 UNAUTHENTICATED with a Bearer challenge when there is no token', async () => {
      const response = await request(sut.getHttpServer()).get('/cases/mine').expect(401);

      expect(response.body).toEqual({ code: 'UNAUTHENTICATED', message: '未登录或登录已失效' });
      expect(response.headers['www-authenticate']).toBe('Bearer');
    });

    it('answers 401 UNAUTHENTICATED for another authorization scheme', async () => {
      const response = await request(sut.getHttpServer()).get('/cases/mine').set('Authorization', 'Basic YWxpY2U6c2VjcmV0').expect(401);

      expect(response.body.code).toBe('UNAUTHENTICATED');
    });

    it('answers 401 TOKEN_INVALID for a bad token', async () => {
      const response = await request(sut.getHttpServer()).get('/cases/mine').set('Authorization', 'Bearer not.a.jwt').expect(401);

      expect(response.body).toEqual({ code: 'TOKEN_INVALID', message: '登录凭证无效，请重新登录' });
      expect(response.headers['www-authenticate']).toBe('Bearer error="invalid_token"');
    });

    it('answers 401 TOKEN_INVALID for a token with an unknown role', async () => {
      const response = await request(sut.getHttpServer())
        .get('/cases/mine')
        .set('Authorization', await bearer({ roles: ['officer', 'god'] }))
        .expect(401);

      expect(response.body.code).toBe('TOKEN_INVALID');
    });

    it('answers 401 TOKEN_EXPIRED for an expired token', async () => {
      const response = await request(sut.getHttpServer())
        .get('/cases/mine')
        .set('Authorization', await bearer({ exp: nowSeconds() - 120 }))
        .expect(401);

      expect(response.body).toEqual({ code: 'TOKEN_EXPIRED', message: '登录已过期，请重新登录' });
    });

    it('serves a protected route to a valid token and hands the handler the user', async () => {
      await request(sut.getHttpServer())
        .get('/cases/mine')
        .set('Authorization', await bearer())
        .expect(200, { userId: 'officer-0007', agencyId: '330100-amr', roles: ['officer', 'reviewer'], name: '张三' });
    });

    it('answers 403 ROLE_REQUIRED when the user has none of the required roles', async () => {
      const response = await request(sut.getHttpServer())
        .get('/cases/admin')
        .set('Authorization', await bearer())
        .expect(403);

      expect(response.body).toEqual({ code: 'ROLE_REQUIRED', message: '当前账号无权执行此操作' });
    });

    it('serves a @Roles route to a user with one of the roles', async () => {
      await request(sut.getHttpServer())
        .get('/cases/admin')
        .set('Authorization', await bearer({ roles: ['officer', 'agency-admin'] }))
        .expect(200, { agencyId: '330100-amr' });
    });

    it("applies a controller's @Roles to its routes, with any one of the roles enough", async () => {
      await request(sut.getHttpServer())
        .get('/oversight')
        .set('Authorization', await bearer())
        .expect(403);
      await request(sut.getHttpServer())
        .get('/oversight')
        .set('Authorization', await bearer({ roles: ['supervisor'], supervised_region: '330000' }))
        .expect(200);
      await request(sut.getHttpServer())
        .get('/oversight')
        .set('Authorization', await bearer({ roles: ['system-admin'], agency_id: '' }))
        .expect(200);
    });

    it("lets a handler's @Public() open one route of a @Roles controller", async () => {
      await request(sut.getHttpServer()).get('/oversight/published').expect(200);
    });

    it('keeps a @Roles handler protected inside a @Public() controller', async () => {
      await request(sut.getHttpServer()).get('/portal').expect(200);
      await request(sut.getHttpServer()).get('/portal/drafts').expect(401);
      await request(sut.getHttpServer())
        .get('/portal/drafts')
        .set('Authorization', await bearer())
        .expect(200);
    });
  });

  describe('in an application with the local issuer', () => {
    let dir: string;
    let sut: INestApplication;

    beforeAll(async () => {
      dir = await mkdtemp(path.join(tmpdir(), 'auth-guard-'));
      sut = await appWith({
        issuer: 'enforcement-platform',
        audience: 'enforcement-platform',
        verification: { kind: 'local', dir },
      });
    });

    afterAll(async () => {
      await sut.close();
      await rm(dir, { recursive: true, force: true });
    });

    it('accepts tokens of the local issuer sharing its folder', async () => {
      const issuer = new LocalIssuer({ dir, issuer: 'enforcement-platform', audience: 'enforcement-platform' });
      const user: AuthenticatedUser = { userId: 'bob', agencyId: '330100-amr', roles: ['agency-admin'] };
      const token = await issuer.sign(user, { ttlSeconds: 60 });

      await request(sut.getHttpServer())
        .get('/cases/admin')
        .set('Authorization', `Bearer ${token}`)
        .expect(200, { agencyId: '330100-amr' });
    });
  });

  describe('in an application whose JWKS endpoint is down', () => {
    it('answers 503 AUTH_UNAVAILABLE rather than blaming the token', async () => {
      const keys = await testKeys('ES256');
      // Port 1 is privileged and unused on test machines: the connection is refused at once.
      const sut = await appWith({
        issuer: TEST_ISSUER,
        audience: TEST_AUDIENCE,
        verification: { kind: 'jwks', url: 'http://127.0.0.1:1/jwks' },
      });
      try {
        const token = await signTestToken(keys, testClaims(), { kid: 'k1' });

        const response = await request(sut.getHttpServer()).get('/cases/mine').set('Authorization', `Bearer ${token}`).expect(503);

        expect(response.body.code).toBe('AUTH_UNAVAILABLE');
      } finally {
        await sut.close();
      }
    });
  });

  it('slows down an address whose tokens keep being refused: 429 AUTH_THROTTLED with Retry-After, even for a good token, other routes unharmed', async () => {
    const keys = await testKeys('ES256');
    const app = await appWith(publicKeyConfig(keys.publicPem));
    try {
      const good = `Bearer ${await signTestToken(keys, testClaims())}`;
      for (let i = 0; i < 10; i++) {
        await request(app.getHttpServer()).get('/cases/mine').set('Authorization', `Bearer forged.${i}.token`).expect(401);
      }

      const throttled = await request(app.getHttpServer()).get('/cases/mine').set('Authorization', good).expect(429);

      expect(throttled.body).toEqual({ code: 'AUTH_THROTTLED', message: '身份验证失败次数过多，请稍后再试' });
      expect(Number(throttled.headers['retry-after'])).toBeGreaterThan(0);
      await request(app.getHttpServer()).get('/cases/public').expect(200);
    } finally {
      await app.close();
    }
  });

  it('logs why a token was refused at debug level, never the token itself', async () => {
    const keys = await testKeys('ES256');
    const lines: string[] = [];
    const record = (message: unknown, ...rest: unknown[]): void => {
      lines.push([message, ...rest].map((part) => String(part)).join(' '));
    };
    const logger: LoggerService = { log: record, error: record, warn: record, debug: record, verbose: record, fatal: record };
    const sut = await appWith(publicKeyConfig(keys.publicPem), logger);
    try {
      const token = await signTestToken(keys, testClaims({ aud: 'someone-else' }));

      await request(sut.getHttpServer()).get('/cases/mine').set('Authorization', `Bearer ${token}`).expect(401);

      expect(lines.some((line) => line.includes('bearer token rejected') && line.includes('"aud"'))).toBe(true);
      for (const part of token.split('.')) expect(lines.join('\n')).not.toContain(part);
    } finally {
      await sut.close();
    }
  });

  it('lets non-HTTP contexts (event consumers) through without a token', async () => {
    const keys = await testKeys('ES256');
    const sut = new AuthGuard(new Reflector(), new TokenVerifier(publicKeyConfig(keys.publicPem)));
    const context = new ExecutionContextHost([{}, {}], CasesController, CasesController.prototype.mine);
    context.setType('rpc');

    await expect(sut.canActivate(context)).resolves.toBe(true);
  });
});

describe(bearerToken.name, () => {
  it.each([
    ['Bearer abc.def.ghi', 'abc.def.ghi'],
    ['bearer abc.def.ghi', 'abc.def.ghi'],
    ['Bearer   abc.def.ghi ', 'abc.def.ghi'],
    ['Bearer', undefined],
    ['Bearer ', undefined],
    ['Basic abc', undefined],
    ['Bearer a b', undefined],
    [undefined, undefined],
  ])('reads %j as %j', (header, token) => {
    expect(bearerToken(header)).toBe(token);
  });
});
