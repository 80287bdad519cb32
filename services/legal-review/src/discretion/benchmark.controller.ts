import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Roles, type AuthenticatedUser } from '@enforcement/auth';
import { ApiErrors } from '@enforcement/service-runtime';
import { BenchmarkEntryDto, DiscretionCheckDto } from './benchmark.dto';
import { BenchmarkService } from './benchmark.service';

/** The discretion benchmark (裁量基准) of an agency: public to anyone signed in (Art. 34), kept by its administrators. */
@ApiTags('discretion benchmark')
@ApiBearerAuth()
@Controller('agencies/:agencyId/discretion-benchmark')
export class BenchmarkController {
  constructor(private readonly benchmark: BenchmarkService) {}

  @ApiOperation({ summary: 'List the agency’s discretion benchmark' })
  @Get()
  list(@Param('agencyId', ParseUUIDPipe) agencyId: string) {
    return this.benchmark.list(agencyId);
  }

  @ApiOperation({ summary: 'Get the discretion benchmark of a violation' })
  @Get(':violationCode')
  get(@Param('agencyId', ParseUUIDPipe) agencyId: string, @Param('violationCode') violationCode: string) {
    return this.benchmark.get(agencyId, violationCode);
  }

  @ApiOperation({ summary: 'Set the discretion benchmark of a violation' })
  @ApiErrors(422)
  @Put(':violationCode')
  @Roles('agency-admin', 'system-admin')
  save(
    @Param('agencyId', ParseUUIDPipe) agencyId: string,
    @Param('violationCode') violationCode: string,
    @Body() input: BenchmarkEntryDto,
    @CurrentUser() user: AuthenticatedUser,
  ) {
    return this.benchmark.save(agencyId, violationCode, input, user);
  }

  @ApiOperation({ summary: 'Remove the discretion benchmark of a violation' })
  @Delete(':violationCode')
  @HttpCode(204)
  @Roles('agency-admin', 'system-admin')
  async remove(
    @Param('agencyId', ParseUUIDPipe) agencyId: string,
    @Param('violationCode') violationCode: string,
    @CurrentUser() user: AuthenticatedUser,
  ) {
    await this.benchmark.remove(agencyId, violationCode, user);
  }

  /** The computation the review item "law applied and discretion" shows, before a proposal is submitted. */
  @ApiOperation({ summary: 'Check proposed penalties against the discretion benchmark' })
  @ApiErrors(422)
  @Post(':violationCode/checks')
  @HttpCode(200)
  check(
    @Param('agencyId', ParseUUIDPipe) agencyId: string,
    @Param('violationCode') violationCode: string,
    @Body() input: DiscretionCheckDto,
  ) {
    return this.benchmark.check(agencyId, violationCode, input);
  }
}
