import { Controller, Get, Param, ParseUUIDPipe } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, type AuthenticatedUser } from '@enforcement/auth';
import { CaseAccessService } from '../cases/case-access.service';
import { CaseTraceService } from '../cases/case-trace.service';
import { CaseTraced } from '../cases/case-traced.decorator';
import { ChainVerificationService, type LiveVerificationReport } from './chain-verification.service';

@ApiTags('cases')
@ApiBearerAuth()
@CaseTraced()
@Controller('cases')
export class ChainVerificationController {
  constructor(
    private readonly access: CaseAccessService,
    private readonly verification: ChainVerificationService,
    readonly caseTraces: CaseTraceService,
  ) {}

  /**
   * Recomputes the case's hash chain from its stored records and re-hashes every evidence object, so
   * anyone who may read the case can see whether its record was changed behind the service's back.
   */
  @ApiOperation({ summary: 'Verify a case’s hash chain and evidence' })
  @Get(':caseId/verification')
  @ApiOkResponse({ description: 'Whether the chain is intact and, if not, its first broken link' })
  async verify(@Param('caseId', ParseUUIDPipe) caseId: string, @CurrentUser() user: AuthenticatedUser): Promise<LiveVerificationReport> {
    await this.access.forReading(user, caseId);
    return this.verification.verify(caseId);
  }
}
