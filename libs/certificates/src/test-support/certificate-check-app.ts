import {
  Body,
  Controller,
  Global,
  Injectable,
  Module,
  NotFoundException,
  Param,
  Post,
  UnprocessableEntityException,
  type CanActivate,
  type ExecutionContext,
  type INestApplication,
} from '@nestjs/common';
import { APP_GUARD, NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { LocalIssuer, TokenVerifier, type AuthConfig, type AuthenticatedUser } from '@enforcement/auth';
import { EVENT_BACKBONE_ENTITIES, EVENT_BACKBONE_MIGRATIONS, EventsModule, InProcessBroker } from '@enforcement/events';
import { PersistenceModule } from '@enforcement/persistence';
import { ApiErrorFilter, createValidationPipe, FASTIFY_OPTIONS } from '@enforcement/service-runtime';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { App } from 'supertest/types';
import { DataSource } from 'typeorm';
import { CERTIFICATE_READ_MODEL_ENTITIES, CERTIFICATE_READ_MODEL_MIGRATIONS } from '../index';
import { CertificateCheckModule } from '../lib/certificate-check.module';
import type { PresentedCertificate } from '../lib/check/certificate-checker';
import type { CertificateFacts } from '../lib/check/certificate-index';
import { CoOfficerProofsService, type UnspentCoOfficerProofs } from '../lib/co-officers/co-officer-proofs.service';
import type { ActionScope, CertificateScopeResolver, CertifiedRequest } from '../lib/guard/certified-request';
import { CoOfficerProofs } from '../lib/guard/co-officer-proofs.decorator';
import { PresentedCertificates } from '../lib/guard/presented-certificates.decorator';
import { RequiresCertificate } from '../lib/guard/requires-certificate.decorator';
import { CertificateDirectoryService } from '../lib/read-model/certificate-directory.service';
import { KnownCertificateEntity } from '../lib/read-model/known-certificate.entity';

/** The instant of every request in these tests: 2026-06-01 10:00 in Shanghai. */
export const NOW = new Date('2026-06-01T02:00:00Z');

/** Stands in for the authentication guard being built elsewhere: the caller comes in a test header. */
@Injectable()
class TestAuthGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<CertifiedRequest>();
    const header = request.headers['x-test-user'];
    if (typeof header === 'string') request.user = JSON.parse(header) as AuthenticatedUser;
    return true;
  }
}

export function asUser(user: Partial<AuthenticatedUser> & { userId: string }): Record<string, string> {
  return { 'x-test-user': JSON.stringify({ agencyId: 'agency-huangpu', roles: ['officer'], ...user }) };
}

/** A case lookup, the kind of service a scope needs. */
@Injectable()
export class TestCases {
  private readonly cases = new Map<string, ActionScope>([
    ['case-huangpu', { domain: 'market-regulation', regionCode: '310101' }],
    ['case-nanjing', { domain: 'market-regulation', regionCode: '320102' }],
    ['case-transport', { domain: 'transport', regionCode: '310101' }],
    ['case-last-year', { domain: 'market-regulation', regionCode: '310101', at: new Date('2024-06-01T02:00:00Z') }],
    ['case-last-month', { domain: 'market-regulation', regionCode: '310101', at: new Date('2026-05-01T02:00:00Z') }],
  ]);

  scopeOf(caseId: string): ActionScope {
    const scope = this.cases.get(caseId);
    if (!scope) throw new NotFoundException({ code: 'CASE_NOT_FOUND', message: '案件不存在' });
    return scope;
  }
}

@Injectable()
export class TestCaseScope implements CertificateScopeResolver {
  constructor(private readonly cases: TestCases) {}

  resolve(request: CertifiedRequest): ActionScope {
    return this.cases.scopeOf(String(request.params['caseId']));
  }
}

interface StepBody {
  coOfficerIds?: unknown;
  /** For the 'with-action' route: the action's own rules refuse it after the check, inside its transaction. */
  refuse?: boolean;
}

/** What a service's unit of work does with 'with-action' proofs: spends them in the transaction that records the action. */
@Injectable()
export class TestVisits {
  constructor(
    private readonly dataSource: DataSource,
    private readonly proofs: CoOfficerProofsService,
  ) {}

  record(proofs: UnspentCoOfficerProofs, refuse: boolean): Promise<void> {
    return this.dataSource.transaction(async (manager) => {
      await this.proofs.spendIn(manager, proofs);
      if (refuse) throw new UnprocessableEntityException({ code: 'STEP_NOT_ALLOWED', message: '本环节不符合程序' });
    });
  }
}

@Controller('cases/:caseId')
class TestStepsController {
  constructor(private readonly visits: TestVisits) {}

  /** An on-site step: scope by an injectable resolver, co-officers from the body. */
  @Post('inspections')
  @RequiresCertificate({
    scope: TestCaseScope,
    onSite: true,
    coOfficers: (request) => (request.body as StepBody | undefined)?.coOfficerIds,
  })
  inspect(@Param('caseId') caseId: string, @Body() _body: StepBody, @PresentedCertificates() presented: PresentedCertificate[]) {
    return { caseId, presented };
  }

  /** An on-site step whose proofs are spent with the action, in its own transaction. */
  @Post('visits')
  @RequiresCertificate({
    scope: TestCaseScope,
    onSite: true,
    coOfficers: (request) => (request.body as StepBody | undefined)?.coOfficerIds,
    spendProofs: 'with-action',
  })
  async visit(
    @Body() body: StepBody,
    @CoOfficerProofs() proofs: UnspentCoOfficerProofs,
    @PresentedCertificates() presented: PresentedCertificate[],
  ) {
    await this.visits.record(proofs, body.refuse === true);
    return { presented };
  }

  /** A wiring mistake: proofs left to the handler, which never spends them. */
  @Post('forgotten-visits')
  @RequiresCertificate({
    scope: TestCaseScope,
    onSite: true,
    coOfficers: (request) => (request.body as StepBody | undefined)?.coOfficerIds,
    spendProofs: 'with-action',
  })
  forgottenVisit(@Body() _body: StepBody) {
    return {};
  }

  /** An office step: scope by a function with the module reference. */
  @Post('notes')
  @RequiresCertificate({
    scope: (request, moduleRef) => moduleRef.get(TestCases, { strict: false }).scopeOf(String(request.params['caseId'])),
  })
  note(@PresentedCertificates() presented: PresentedCertificate[]) {
    return { presented };
  }
}

@Module({ controllers: [TestStepsController], providers: [TestCases, TestCaseScope, TestVisits] })
class TestStepsModule {}

/** The verifier AuthModule would provide, over a local issuer the tests sign co-officers' proofs with. */
function testVerifierModule(auth: AuthConfig) {
  @Global()
  @Module({ providers: [{ provide: TokenVerifier, useValue: new TokenVerifier(auth) }], exports: [TokenVerifier] })
  class TestVerifierModule {}
  return TestVerifierModule;
}

/** A service as it would wire the check: its database and event backbone, then the certificate check. */
function testAppModule(broker: InProcessBroker, auth: AuthConfig) {
  @Module({
    imports: [
      PersistenceModule.forRootAsync({
        useFactory: () => ({
          sqliteFile: ':memory:',
          entities: [...EVENT_BACKBONE_ENTITIES, ...CERTIFICATE_READ_MODEL_ENTITIES],
          migrations: [...EVENT_BACKBONE_MIGRATIONS, ...CERTIFICATE_READ_MODEL_MIGRATIONS],
        }),
      }),
      EventsModule.forRootAsync({
        useFactory: () => ({
          serviceName: 'test-service',
          transport: { kind: 'in-process', broker },
          relay: { autoStart: false },
          consumer: { maxAttempts: 1, retryDelayMs: 1 },
        }),
      }),
      testVerifierModule(auth),
      CertificateCheckModule.forRoot({ pollIntervalMs: 0, clock: () => NOW }),
      TestStepsModule,
    ],
    providers: [{ provide: APP_GUARD, useClass: TestAuthGuard }],
  })
  class TestAppModule {}
  return TestAppModule;
}

export interface CertificateCheckApp {
  app: INestApplication<App>;
  /** Delivers events to the service's consumers, as the embedded mode's broker does. */
  broker: InProcessBroker;
  /** Signs tokens the app's verifier accepts (a co-officer's proof of presence); `issuer.sign(user, { ttlSeconds })`. */
  issuer: LocalIssuer;
  auth: AuthConfig;
}

export async function startCertificateCheckApp(): Promise<CertificateCheckApp> {
  const broker = new InProcessBroker();
  const auth: AuthConfig = {
    issuer: 'test-issuer',
    audience: 'test-audience',
    verification: { kind: 'local', dir: fs.mkdtempSync(path.join(os.tmpdir(), 'certificate-check-')) },
  };
  const app = await NestFactory.create<INestApplication<App>>(testAppModule(broker, auth), new FastifyAdapter(FASTIFY_OPTIONS), {
    logger: false,
  });
  // As every service has them (startService): requests validated, errors in the platform's shape.
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new ApiErrorFilter());
  await app.init();
  await (app.getHttpAdapter().getInstance() as { ready(): Promise<unknown> }).ready();
  broker.open();
  return { app, broker, issuer: LocalIssuer.fromConfig(auth), auth };
}

/** Writes certificates into the read model as the consumer would, and lets the directory find them by polling. */
export async function seedCertificates(app: INestApplication, certificates: CertificateFacts[]): Promise<void> {
  const written = new Date();
  await app
    .get(DataSource)
    .getRepository(KnownCertificateEntity)
    .insert(
      certificates.map((facts) => ({
        ...facts,
        domains: [...facts.domains],
        regionCodes: [...facts.regionCodes],
        termsEventAt: written,
        statusEventAt: written,
        updatedAt: written,
      })),
    );
  await app.get(CertificateDirectoryService).pollNow();
}

export function certificateFacts(overrides: Partial<CertificateFacts> & Pick<CertificateFacts, 'id' | 'officerId'>): CertificateFacts {
  return {
    number: `No.${overrides.id}`,
    agencyId: 'agency-huangpu',
    status: 'active',
    domains: ['market-regulation'],
    regionCodes: ['310000'],
    validFrom: new Date('2024-12-31T16:00:00Z'),
    validUntil: new Date('2026-12-31T16:00:00Z'),
    version: 1,
    ...overrides,
  };
}
