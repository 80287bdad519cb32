import { Controller, Get, HttpStatus, Param, ParseUUIDPipe, Query, Req, Res, StreamableFile, UseGuards } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ThrottlerGuard } from '@nestjs/throttler';
import { Public } from '@enforcement/auth';
import { chinaDayOf } from '@enforcement/calendar';
import { ApiErrors, DomainError, pageView, takeOverResponse } from '@enforcement/service-runtime';
import type { FastifyRequest as Request, FastifyReply as Response } from 'fastify';
import { STATISTICS_COLUMNS } from '../disclosure-core/annual-statistics';
import { DailyRootsService } from '../merkle/daily-roots.service';
import { AnnualStatisticsService } from './annual-statistics.service';
import { cached } from './http-cache';
import { PublicDecisionsRepository } from './public-decisions.repository';
import { PublicRosterRepository } from './public-roster.repository';
import { csvLine, OPEN_DATA_COLUMNS, publicDecisionView } from './public-views';
import { DAY_PATTERN, OpenDataQuery, PublicDecisionQuery, StatisticsQuery } from './public.dto';

const OPEN_DATA_BATCH = 500;

function notPublic(): DomainError {
  return new DomainError('DECISION_NOT_PUBLIC', '未查询到该公示信息', HttpStatus.NOT_FOUND);
}

/**
 * The public read API (no token, rate limited per client address, ETag and Cache-Control): decisions published
 * after enforcement, open data, the daily roots and inclusion proofs, the agencies with their officer roster, and
 * certificate verification (the QR code's target). Everything here comes from what was published, never the original.
 */
@ApiTags('public')
@Public()
@UseGuards(ThrottlerGuard)
@Controller('public')
export class PublicController {
  constructor(
    private readonly decisions: PublicDecisionsRepository,
    private readonly roster: PublicRosterRepository,
    private readonly roots: DailyRootsService,
    private readonly annualStatistics: AnnualStatisticsService,
  ) {}

  @ApiOperation({
    summary: 'Search published decisions (public)',
    description:
      'A keyword page reads a bounded number of index entries: under a narrow filter it may hold fewer items than asked, even none, with a nextCursor to go on from. Only a null nextCursor ends the results.',
  })
  @Get('decisions')
  async list(@Query() query: PublicDecisionQuery, @Req() request: Request, @Res({ passthrough: true }) response: Response) {
    const page = await this.decisions.page(
      { keyword: query.q, agencyId: query.agencyId, domain: query.domain, penaltyKind: query.penaltyKind, from: query.from, to: query.to },
      { after: query.after(), limit: query.pageSize() },
    );
    return cached(request, response, pageView(page, publicDecisionView), 60);
  }

  @ApiOperation({ summary: 'Get a published decision (public)' })
  @Get('decisions/:id')
  async decision(@Param('id', ParseUUIDPipe) id: string, @Req() request: Request, @Res({ passthrough: true }) response: Response) {
    const row = await this.decisions.byId(id);
    if (!row) throw notPublic();
    return cached(request, response, publicDecisionView(row), 300);
  }

  /** Inclusion proofs of the decision's publication (and withdrawal) in the roots of their days. */
  @ApiOperation({ summary: 'Inclusion proofs of a decision’s publication (public)' })
  @Get('decisions/:id/proof')
  async proof(@Param('id', ParseUUIDPipe) id: string, @Req() request: Request, @Res({ passthrough: true }) response: Response) {
    const row = await this.decisions.byId(id);
    if (!row) throw notPublic();
    return cached(request, response, { id, proofs: await this.roots.proofs(id) }, 300);
  }

  @ApiOperation({ summary: 'List the daily roots of the publication log (public)' })
  @Get('roots')
  async rootList(@Req() request: Request, @Res({ passthrough: true }) response: Response) {
    return cached(request, response, { items: await this.roots.roots(400) }, 300);
  }

  @ApiOperation({ summary: 'Get the root of one day of the publication log (public)' })
  @Get('roots/:day')
  async root(@Param('day') day: string, @Req() request: Request, @Res({ passthrough: true }) response: Response) {
    if (!DAY_PATTERN.test(day))
      throw new DomainError('VALIDATION_FAILED', '日期应为 YYYY-MM-DD', HttpStatus.BAD_REQUEST, [
        { field: 'day', problems: ['YYYY-MM-DD'] },
      ]);
    const root = await this.roots.root(day);
    if (!root) throw new DomainError('ROOT_NOT_FOUND', '该日的公示根哈希尚未生成', HttpStatus.NOT_FOUND);
    return cached(request, response, root, 3600);
  }

  /** Open data (JSON or CSV) of the published decisions: the 双公示 fields, streamed a batch at a time. */
  @ApiOperation({ summary: 'Open data of the published decisions, JSON or CSV (public)' })
  @Get('open-data/decisions')
  async openData(@Query() query: OpenDataQuery, @Res() response: Response): Promise<void> {
    const csv = query.format === 'csv';
    // Written a batch at a time on Node's response.
    const raw = takeOverResponse(response);
    raw.setHeader('Content-Type', csv ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8');
    raw.setHeader('Content-Disposition', `attachment; filename="decisions.${csv ? 'csv' : 'json'}"`);
    raw.setHeader('Cache-Control', 'public, max-age=300');
    raw.write(csv ? `\uFEFF${csvLine(OPEN_DATA_COLUMNS.map(([name]) => name))}` : '[');
    let after;
    let first = true;
    for (;;) {
      const page = await this.decisions.page(
        { agencyId: query.agencyId, from: query.from, to: query.to },
        { after, limit: OPEN_DATA_BATCH },
      );
      for (const row of page.items) {
        if (row.status !== 'published' || !row.published) continue;
        const record = row.published;
        raw.write(csv ? csvLine(OPEN_DATA_COLUMNS.map(([, value]) => value(record))) : `${first ? '' : ','}${JSON.stringify(record)}`);
        first = false;
      }
      if (!page.next) break;
      after = page.next;
    }
    raw.end(csv ? '' : ']');
  }

  /**
   * Each agency's statistics of a year that has ended (国办发〔2018〕118号: the previous year's, by 31 January), as JSON
   * or a CSV download. Computed from the decisions themselves, so they are ready the moment the year ends.
   */
  @ApiOperation({ summary: 'Each agency’s statistics of an ended year (public)' })
  @ApiErrors(422)
  @Get('statistics/:year')
  async statistics(
    @Param('year') yearText: string,
    @Query() query: StatisticsQuery,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ) {
    const year = Number(yearText);
    const current = Number(chinaDayOf(new Date()).slice(0, 4));
    if (!/^\d{4}$/.test(yearText) || year < 2000) {
      throw new DomainError('VALIDATION_FAILED', '年度应为四位数字', HttpStatus.BAD_REQUEST, [{ field: 'year', problems: ['YYYY'] }]);
    }
    if (year >= current)
      throw new DomainError('STATISTICS_YEAR_NOT_ENDED', '该年度尚未结束，统计数据在次年1月公开', HttpStatus.UNPROCESSABLE_ENTITY);
    const items = (await this.annualStatistics.ofYear(year)).filter((s) => !query.agencyId || s.agencyId === query.agencyId);
    if (query.format === 'csv') {
      response.header('Content-Type', 'text/csv; charset=utf-8');
      response.header('Content-Disposition', `attachment; filename="statistics-${year}.csv"`);
      response.header('Cache-Control', 'public, max-age=3600');
      return new StreamableFile(
        Buffer.from(
          `\uFEFF${csvLine(STATISTICS_COLUMNS.map(([name]) => name))}${items.map((s) => csvLine(STATISTICS_COLUMNS.map(([, value]) => value(s)))).join('')}`,
        ),
      );
    }
    return cached(request, response, { year, items }, 3600);
  }

  @ApiOperation({ summary: 'List agencies (public)' })
  @Get('agencies')
  async agencies(@Req() request: Request, @Res({ passthrough: true }) response: Response) {
    return cached(request, response, { items: await this.roster.agencies() }, 300);
  }

  /** An agency's page data (事前公开): its body, domains, legal basis, the sections its administrators keep, its officer roster. */
  @ApiOperation({ summary: 'An agency’s page: body, domains, legal basis, roster (public)' })
  @Get('agencies/:id')
  async agency(@Param('id', ParseUUIDPipe) id: string, @Req() request: Request, @Res({ passthrough: true }) response: Response) {
    const agency = await this.roster.agency(id);
    if (!agency) throw new DomainError('AGENCY_NOT_FOUND', '未查询到该执法机关', HttpStatus.NOT_FOUND);
    return cached(request, response, { ...agency, sections: await this.roster.sections(id), officers: await this.roster.roster(id) }, 300);
  }

  /** Certificate verification by number (the QR code's target, 亮证执法). */
  @ApiOperation({ summary: 'Verify a certificate by its number (public)' })
  @Get('certificates/:number')
  async certificate(@Param('number') number: string, @Req() request: Request, @Res({ passthrough: true }) response: Response) {
    const view = number.length <= 64 ? await this.roster.certificate(number) : null;
    if (!view) throw new DomainError('CERTIFICATE_NOT_FOUND', '未查询到该执法证件，请核实证号', HttpStatus.NOT_FOUND);
    return cached(request, response, view, 60);
  }
}
