import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Put, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { assertAgencyScope, CurrentUser, Roles, type AuthenticatedUser } from '@enforcement/auth';
import {
  CoOfficerProofs,
  PresentedCertificates,
  RequiresCertificate,
  type PresentedCertificate,
  type UnspentCoOfficerProofs,
} from '@enforcement/certificates';
import { ApiErrors, PageQuery, pageView } from '@enforcement/service-runtime';
import { ArrayUnique, IsArray, IsIn } from 'class-validator';
import { needsTwoOfficers, STEP_TYPES, type StepType } from '../case-core/step-types';
import { actionInstantOf, CaseScopeResolver, scopedCaseOf } from '../cases/case-scope.resolver';
import { CaseTraceService } from '../cases/case-trace.service';
import { CaseTraced } from '../cases/case-traced.decorator';
import { idempotentRequest, type KeyedHttpRequest } from '../idempotency/idempotent-request';
import { AlterDecisionDto, OpenCaseDto, RecordStepDto } from './case.dto';
import { CasesService } from './cases.service';
import { ApiRecordStepBody } from './step-bodies.dto';

/** Cases a page at a time: an agency's own, or a supervisor's division and below, or all for system administrators. */
export class CaseListQuery extends PageQuery({ defaultLimit: 50, maxLimit: 200 }) {}

class AudioVideoStepsDto {
  @IsArray()
  @ArrayUnique()
  @IsIn(STEP_TYPES, { each: true })
  stepTypes: StepType[];
}

const OPEN_CASE_ROUTE = 'POST /cases';
const RECORD_STEP_ROUTE = 'POST /cases/:caseId/steps';
const ALTER_DECISION_ROUTE = 'POST /cases/:caseId/decision-alterations';
/** The header that makes a retried write answer with what the first one created (idempotent-request.ts). */
const ApiIdempotencyKey = () =>
  ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description:
      'A key of 8–64 letters, digits, "-" or "_" chosen by the client for this request (a UUID): sent again with the ' +
      'same request within 24 hours, it is answered with what the first one created and applied once; with another ' +
      'request, refused with IDEMPOTENCY_KEY_REUSED.',
  });

function body(request: { body?: unknown }): Record<string, unknown> {
  return typeof request.body === 'object' && request.body !== null ? (request.body as Record<string, unknown>) : {};
}

@ApiTags('cases')
@ApiBearerAuth()
@CaseTraced()
@Controller()
export class CasesController {
  constructor(
    private readonly cases: CasesService,
    readonly caseTraces: CaseTraceService,
  ) {}

  /** 立案: at least two certified officers handle every case (Art. 42). */
  @ApiOperation({ summary: 'Open a case (立案)' })
  @ApiErrors(422)
  @ApiIdempotencyKey()
  @Post('cases')
  @Roles('officer')
  @RequiresCertificate({
    scope: (request) => ({
      domain: String(body(request)['domain'] ?? ''),
      regionCode: String(body(request)['regionCode'] ?? ''),
      at: actionInstantOf(request),
    }),
    onSite: true,
    coOfficers: (request) => body(request)['coOfficerIds'],
    // Spent with the case it confirms: a case refused after the check spends no proof, and costs no commit of its own.
    spendProofs: 'with-action',
  })
  open(
    @Body() input: OpenCaseDto,
    @CurrentUser() user: AuthenticatedUser,
    @PresentedCertificates() presented: PresentedCertificate[],
    @CoOfficerProofs() proofs: UnspentCoOfficerProofs,
    @Req() request: KeyedHttpRequest,
  ) {
    const idempotent = idempotentRequest(request, { callerId: user.userId, route: OPEN_CASE_ROUTE, caseId: null });
    return this.cases.open(input, user, presented, proofs, idempotent);
  }

  @ApiOperation({ summary: 'List cases, a page at a time' })
  @Get('cases')
  async list(@CurrentUser() user: AuthenticatedUser, @Query() query: CaseListQuery) {
    return pageView(await this.cases.list(user, { after: query.after(), limit: query.pageSize() }), (found) => found);
  }

  @ApiOperation({ summary: 'Get a case' })
  @Get('cases/:caseId')
  get(@Param('caseId', ParseUUIDPipe) caseId: string, @CurrentUser() user: AuthenticatedUser) {
    return this.cases.get(caseId, user);
  }

  @ApiOperation({ summary: 'List a case’s records (its hash chain)' })
  @Get('cases/:caseId/records')
  records(@Param('caseId', ParseUUIDPipe) caseId: string, @CurrentUser() user: AuthenticatedUser) {
    return this.cases.records(caseId, user);
  }

  @ApiOperation({ summary: 'Record a procedural step of a case' })
  @ApiRecordStepBody()
  @ApiIdempotencyKey()
  @Post('cases/:caseId/steps')
  @Roles('officer')
  @RequiresCertificate({
    scope: CaseScopeResolver,
    // Art. 42, 55: two certified officers for investigating and enforcing steps (service in person included).
    onSite: (request) => needsTwoOfficers(body(request)['stepType'], body(request)['fields']),
    coOfficers: (request) => body(request)['coOfficerIds'] ?? [],
    // Spent in the step's own transaction: a step the rules refuse spends no proof.
    spendProofs: 'with-action',
  })
  recordStep(
    @Param('caseId', ParseUUIDPipe) caseId: string,
    @Body() input: RecordStepDto,
    @CurrentUser() user: AuthenticatedUser,
    @PresentedCertificates() presented: PresentedCertificate[],
    @CoOfficerProofs() proofs: UnspentCoOfficerProofs,
    @Req() request: KeyedHttpRequest,
  ) {
    const idempotent = idempotentRequest(request, { callerId: user.userId, route: RECORD_STEP_ROUTE, caseId });
    return this.cases.recordStep(caseId, input, user, presented, proofs, scopedCaseOf(request, caseId), idempotent);
  }

  /** A decision changed, revoked or confirmed illegal or void (e.g. on reconsideration); publicity withdraws it (Art. 48). */
  @ApiOperation({ summary: 'Change, revoke or confirm illegal or void a decision' })
  @ApiErrors(409, 422)
  @ApiIdempotencyKey()
  @Post('cases/:caseId/decision-alterations')
  @Roles('officer', 'agency-admin')
  @RequiresCertificate({ scope: CaseScopeResolver })
  alter(
    @Param('caseId', ParseUUIDPipe) caseId: string,
    @Body() input: AlterDecisionDto,
    @CurrentUser() user: AuthenticatedUser,
    @PresentedCertificates() presented: PresentedCertificate[],
    @Req() request: KeyedHttpRequest,
  ) {
    const idempotent = idempotentRequest(request, { callerId: user.userId, route: ALTER_DECISION_ROUTE, caseId });
    return this.cases.alterDecision(caseId, input, user, presented, idempotent);
  }

  @ApiOperation({ summary: 'The steps the agency requires full audio/video for' })
  @Get('agencies/:agencyId/audio-video-requirements')
  audioVideoSteps(@Param('agencyId', ParseUUIDPipe) agencyId: string, @CurrentUser() user: AuthenticatedUser) {
    assertAgencyScope(user, agencyId);
    return this.cases.audioVideoSteps(agencyId);
  }

  @ApiOperation({ summary: 'Set the steps the agency requires full audio/video for' })
  @Put('agencies/:agencyId/audio-video-requirements')
  @Roles('agency-admin', 'system-admin')
  setAudioVideoSteps(
    @Param('agencyId', ParseUUIDPipe) agencyId: string,
    @Body() input: AudioVideoStepsDto,
    @CurrentUser() user: AuthenticatedUser,
  ) {
    assertAgencyScope(user, agencyId);
    return this.cases.setAudioVideoSteps(agencyId, input.stepTypes);
  }
}
