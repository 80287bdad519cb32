import {
  BadRequestException,
  ForbiddenException,
  Inject,
  Injectable,
  Logger,
  Optional,
  ServiceUnavailableException,
  UnauthorizedException,
  type CanActivate,
  type ExecutionContext,
  type Type,
} from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { ModuleRef, Reflector } from '@nestjs/core';
import { createValidationPipe } from '@enforcement/service-runtime';
import {
  CERTIFICATE_CHECK_OPTIONS,
  resolveCertificateCheckOptions,
  type CertificateCheckModuleOptions,
  type ResolvedCertificateCheckOptions,
} from '../certificate-check.options';
import { CertificateChecker, type CertificateRefusal, type CertifiedAction } from '../check/certificate-checker';
import { isDivisionCode } from '../check/region-code';
import type { CoOfficerProofEntity } from '../co-officers/co-officer-proof.entity';
import { CO_OFFICER_TOKENS_HEADER, CoOfficerProofsService, type UnspentCoOfficerProofs } from '../co-officers/co-officer-proofs.service';
import { CertificateDirectoryService } from '../read-model/certificate-directory.service';
import { CertificateRefusalLogService } from '../refusals/certificate-refusal-log.service';
import {
  PRESENTED_CERTIFICATES,
  REFUSE_PROOF_REPLAY,
  REQUIRES_CERTIFICATE,
  UNSPENT_CO_OFFICER_PROOFS,
  type ActionScope,
  type CertificateScopeResolver,
  type CertifiedRequest,
  type RequiresCertificateOptions,
  type ScopeResolverClass,
} from './certified-request';

const MAX_CO_OFFICERS = 20;
const MAX_ID_LENGTH = 64;

/**
 * The certificate check in front of officer actions (持证上岗, 亮证执法; Administrative Penalty Law Art. 42, 55).
 * Attached by @RequiresCertificate, which carries its options. It reads the in-memory directory only: no call to
 * the certificates service on the request path. A refusal is logged for supervisors, then answered with 403.
 */
@Injectable()
export class CertificateGuard implements CanActivate {
  private readonly logger = new Logger(CertificateGuard.name);
  private readonly checker = new CertificateChecker();
  private readonly options: ResolvedCertificateCheckOptions;
  // Per-route metadata and resolver instances never change after start-up: look them up once, not per request.
  private readonly routes = new WeakMap<object, GuardedRoute>();
  private readonly validation = createValidationPipe();

  constructor(
    private readonly reflector: Reflector,
    private readonly moduleRef: ModuleRef,
    private readonly directory: CertificateDirectoryService,
    private readonly refusals: CertificateRefusalLogService,
    private readonly proofs: CoOfficerProofsService,
    @Optional() @Inject(CERTIFICATE_CHECK_OPTIONS) options?: CertificateCheckModuleOptions,
  ) {
    this.options = resolveCertificateCheckOptions(options);
  }

  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    const route = this.guardedRoute(context);
    const request = context.getArgByIndex<CertifiedRequest>(0);
    // Guards run before pipes: a malformed request is told what is wrong with it first, not that too few
    // officers acted (its co-officers may simply be missing from the malformed body).
    if (route.bodyType) {
      return this.validation.transform(request.body, { type: 'body', metatype: route.bodyType }).then(() => this.authorize(route, request));
    }
    return this.authorize(route, request);
  }

  private authorize(route: GuardedRoute, request: CertifiedRequest): boolean | Promise<boolean> {
    const user = request.user;
    if (!user?.userId) throw new UnauthorizedException({ code: 'UNAUTHENTICATED', message: '未登录或登录已失效' });
    if (!this.directory.isLoaded) {
      throw new ServiceUnavailableException({ code: 'SERVICE_UNAVAILABLE', message: '服务暂不可用，请稍后再试' });
    }

    const scope = route.scopeOf(request);
    // Most scopes come from the request itself: no promise, no extra turn of the event loop.
    return scope instanceof Promise
      ? scope.then((resolved) => this.check(route.options, request, resolved))
      : this.check(route.options, request, scope);
  }

  /** What the guard needs of a route (its options, its body's class, its scope), looked up on its first request. */
  private guardedRoute(context: ExecutionContext): GuardedRoute {
    const handler = context.getHandler();
    let route = this.routes.get(handler);
    if (!route) {
      const options = this.reflector.getAllAndOverride<RequiresCertificateOptions | undefined>(REQUIRES_CERTIFICATE, [
        handler,
        context.getClass(),
      ]);
      // Fail closed: a guard without its options is a wiring mistake, not a route open to anyone.
      if (!options) throw new Error('CertificateGuard on a route without @RequiresCertificate options');
      route = { options, bodyType: bodyTypeOf(context), scopeOf: this.scopeFunction(options.scope) };
      this.routes.set(handler, route);
    }
    return route;
  }

  private scopeFunction(scope: RequiresCertificateOptions['scope']): GuardedRoute['scopeOf'] {
    if (isResolverClass(scope)) {
      const resolver = this.moduleRef.get<CertificateScopeResolver>(scope, { strict: false });
      return (request) => resolver.resolve(request);
    }
    return (request) => scope(request, this.moduleRef);
  }

  private async refuse(request: CertifiedRequest, result: CertificateRefusal, action: RefusedAction): Promise<never> {
    await keepRefusal(this.refusals, this.logger, request, result, action, this.options.clock());
    throw certificateRefusalException(result);
  }

  private check(options: RequiresCertificateOptions, request: CertifiedRequest, resolved: ActionScope): boolean | Promise<boolean> {
    const user = request.user as NonNullable<CertifiedRequest['user']>;
    const scope = validScope(resolved);
    const onSite = typeof options.onSite === 'function' ? options.onSite(request) === true : options.onSite === true;
    const officerIds = [user.userId, ...validCoOfficers(options.coOfficers?.(request))];
    const now = this.options.clock();
    const agencyIds = scope.agencyIds ?? (user.agencyId ? [user.agencyId] : undefined);
    const refused: RefusedAction = { officerIds, scope, onSite };
    // A literal for each look, never `{ ...action, at }`: V8 tenured that spread's clones here, so every request left
    // its garbage in the old generation, to be paid for by full collections of a heap that holds every certificate.
    const actionAt = (at: Date): CertifiedAction => ({
      officerIds,
      domain: scope.domain,
      regionCode: scope.regionCode,
      onSite,
      agencyIds,
      at,
    });
    let result = this.checker.check(this.directory.certificates, actionAt(scope.at ?? now));
    // An act recorded after the fact (scope.at): qualified when it happened, and still qualified now (Art. 42).
    if (result.ok && scope.at && scope.at.getTime() !== now.getTime()) {
      // Status and scope are judged as they are now in either look; only validity dates differ. The certificates shown
      // for a past instant are valid now unless one has ended since: then (or for a future instant) look again.
      const at = scope.at.getTime();
      const stillValid = at < now.getTime() && result.presented.every((shown) => Date.parse(shown.validUntil) > now.getTime());
      if (!stillValid) {
        const current = this.checker.check(this.directory.certificates, actionAt(now));
        if (!current.ok) result = current;
      }
    }
    if (!result.ok) return this.refuse(request, result, refused);
    const presented = result.presented;
    const withAction = options.spendProofs === 'with-action';
    /** The request goes on with the certificates shown and, for a handler that spends them, the proofs to spend. */
    const admit = (rows: CoOfficerProofEntity[]): true => {
      if (withAction) {
        const proofs: UnspentCoOfficerProofs = {
          rows,
          action: { officerIds, domain: scope.domain, regionCode: scope.regionCode, onSite },
          spent: false,
        };
        request[UNSPENT_CO_OFFICER_PROOFS] = proofs;
        request[REFUSE_PROOF_REPLAY] = (refusal) => this.refuse(request, refusal, refused);
      }
      request[PRESENTED_CERTIFICATES] = presented;
      return true;
    };
    if (options.coOfficerProofs === false || officerIds.every((id) => id === user.userId)) return admit([]);
    // Certificates first (in memory, and the more useful answer), then each co-officer's own proof of presence.
    const proofRequest = {
      caller: user,
      authorization: request.headers.authorization,
      proofs: request.headers[CO_OFFICER_TOKENS_HEADER],
      coOfficerIds: officerIds.slice(1),
      agencyIds: agencyIds ?? [],
      route: routeOf(request),
    };
    const maxAge = this.options.coOfficerProofMaxAgeSeconds;
    if (withAction) {
      return this.proofs
        .verify(proofRequest, maxAge, new Date())
        .then((verified) => (Array.isArray(verified) ? admit(verified) : this.refuse(request, verified, refused)));
    }
    return this.proofs
      .confirm(proofRequest, maxAge, new Date())
      .then((refusal) => (refusal ? this.refuse(request, refusal, refused) : admit([])));
  }
}

interface GuardedRoute {
  options: RequiresCertificateOptions;
  /** The class of the handler's @Body() parameter, validated before the check; undefined when it has none. */
  bodyType: Type | undefined;
  scopeOf: (request: CertifiedRequest) => ActionScope | Promise<ActionScope>;
}

/** The DTO class of the handler's @Body() parameter, if it has one. */
function bodyTypeOf(context: ExecutionContext): Type | undefined {
  const handler = context.getHandler();
  const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, context.getClass(), handler.name) ?? {}) as Record<
    string,
    { index: number; data?: unknown }
  >;
  const body = Object.entries(args).find(([key, arg]) => key.startsWith(`${RouteParamtypes.BODY}:`) && arg.data === undefined)?.[1];
  const types = Reflect.getMetadata('design:paramtypes', context.getClass().prototype, handler.name) as Type[] | undefined;
  const candidate = body === undefined ? undefined : types?.[body.index];
  // Plain objects and primitives carry no rules; only a class has something to validate.
  return candidate && ![Object, String, Number, Boolean, Array].includes(candidate as never) ? candidate : undefined;
}

/** The acting officers and scope of a refused action, as the refusal log keeps them. */
export interface RefusedAction {
  officerIds: readonly string[];
  scope: Pick<ActionScope, 'domain' | 'regionCode'>;
  onSite: boolean;
}

/** The 403 every refusal of the check answers with. */
function certificateRefusalException(result: CertificateRefusal): ForbiddenException {
  return new ForbiddenException({
    code: result.code,
    message: result.message,
    details: {
      officerId: result.officerId,
      certificateId: result.certificateId,
      article: result.article,
      ...(result.reason === undefined ? {} : { reason: result.reason }),
    },
  });
}

/** Keeps the refusal for supervisors; losing the log line must not turn a refusal into a pass. */
async function keepRefusal(
  refusals: CertificateRefusalLogService,
  logger: Logger,
  request: CertifiedRequest,
  refusal: CertificateRefusal,
  action: RefusedAction,
  occurredAt: Date,
): Promise<void> {
  const user = request.user;
  try {
    await refusals.record({
      occurredAt,
      userId: user?.userId ?? '',
      agencyId: user?.agencyId ?? '',
      officerId: refusal.officerId ?? null,
      officerIds: [...action.officerIds],
      code: refusal.code,
      route: routeOf(request),
      domain: action.scope.domain,
      regionCode: action.scope.regionCode,
      onSite: action.onSite,
    });
  } catch (error) {
    logger.error(
      `could not log certificate refusal ${refusal.code} of ${refusal.officerId ?? action.officerIds.join(',')} on ${routeOf(request)}: ${
        error instanceof Error ? error.message : String(error)
      }`,
    );
  }
}

function isResolverClass(scope: RequiresCertificateOptions['scope']): scope is ScopeResolverClass {
  const prototype: unknown = scope.prototype;
  return (
    typeof prototype === 'object' && prototype !== null && typeof (prototype as Partial<CertificateScopeResolver>).resolve === 'function'
  );
}

function validScope(scope: ActionScope): ActionScope {
  const at = scope.at;
  if (
    typeof scope.domain !== 'string' ||
    scope.domain.length === 0 ||
    scope.domain.length > 100 ||
    typeof scope.regionCode !== 'string' ||
    !isDivisionCode(scope.regionCode) ||
    (at !== undefined && (!(at instanceof Date) || Number.isNaN(at.getTime())))
  ) {
    throw new BadRequestException({
      code: 'INVALID_ACTION_SCOPE',
      message: '执法领域、执法区域代码或执法时间无效',
      details: { domain: scope.domain, regionCode: scope.regionCode },
    });
  }
  return scope;
}

/** Co-officers come from the request before any validation pipe has run, so they are checked here. */
function validCoOfficers(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  if (
    !Array.isArray(value) ||
    value.length > MAX_CO_OFFICERS ||
    !value.every((id): id is string => typeof id === 'string' && id.length > 0 && id.length <= MAX_ID_LENGTH)
  ) {
    throw new BadRequestException({
      code: 'INVALID_CO_OFFICERS',
      message: `协同执法人员应为不超过 ${MAX_CO_OFFICERS} 名执法人员的编号列表`,
    });
  }
  return value;
}

/** Method and path template, so that refusals of one route group together whatever the ids in the path. */
function routeOf(request: CertifiedRequest): string {
  const template = request.routeOptions.url ?? request.url.split('?', 1)[0];
  return `${request.method} ${template}`.slice(0, 300);
}
