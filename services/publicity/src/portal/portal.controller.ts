import { Controller, Get, Header, HttpStatus, MessageEvent, Param, ParseUUIDPipe, Query, Res, Sse, UseGuards } from '@nestjs/common';
import { ApiExcludeEndpoint, ApiTags } from '@nestjs/swagger';
import { ThrottlerGuard } from '@nestjs/throttler';
import { Public } from '@enforcement/auth';
import { chinaDayOf } from '@enforcement/calendar';
import { decodePageCursor, DomainError, encodePageCursor } from '@enforcement/service-runtime';
import type { FastifyReply as Response } from 'fastify';
import { map, type Observable } from 'rxjs';
import { DailyRootsService } from '../merkle/daily-roots.service';
import { AnnualStatisticsService } from '../public/annual-statistics.service';
import { PublicDecisionsRepository } from '../public/public-decisions.repository';
import { PublicRosterRepository } from '../public/public-roster.repository';
import { publicDecisionView } from '../public/public-views';
import { DAY_PATTERN } from '../public/public.dto';
import { DecisionFeedService } from './decision-feed.service';
import { PORTAL_CSS, PORTAL_JS } from './portal-assets';
import {
  agenciesPage,
  agencyPage,
  certificatePage,
  decisionPage,
  homePage,
  PORTAL_CSP,
  statisticsPage,
  type SearchForm,
} from './portal-html';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function html(response: Response, body: string, status = 200): string {
  response.status(status);
  response.header('Content-Type', 'text/html; charset=utf-8');
  response.header('Content-Security-Policy', PORTAL_CSP);
  response.header('Cache-Control', 'public, max-age=60');
  return body;
}

/** Keeps only well-formed search fields: the page renders what it validated, never raw input. */
function searchOf(query: Record<string, unknown>): SearchForm {
  const text = (name: string) => (typeof query[name] === 'string' ? (query[name] as string) : undefined);
  const day = (name: string) => {
    const value = text(name);
    return value && DAY_PATTERN.test(value) ? value : undefined;
  };
  const q = text('q')?.trim().slice(0, 50);
  const agencyId = text('agencyId');
  const penaltyKind = text('penaltyKind');
  return {
    q: q || undefined,
    agencyId: agencyId && UUID.test(agencyId) ? agencyId : undefined,
    penaltyKind: penaltyKind && /^[a-z_-]{1,40}$/.test(penaltyKind) ? penaltyKind : undefined,
    from: day('from'),
    to: day('to'),
  };
}

/**
 * The public portal (Chinese, server-rendered, usable on a phone and without script): decisions with search, a
 * decision with its proof, agencies with their roster, certificate verification (the QR code's target),
 * statistics; new decisions arrive over server-sent events (`/public/events`).
 */
@ApiTags('portal')
@Public()
@UseGuards(ThrottlerGuard)
@Controller()
export class PortalController {
  constructor(
    private readonly decisions: PublicDecisionsRepository,
    private readonly roster: PublicRosterRepository,
    private readonly roots: DailyRootsService,
    private readonly feed: DecisionFeedService,
    private readonly annualStatistics: AnnualStatisticsService,
  ) {}

  @Get('portal/assets/portal.css')
  @ApiExcludeEndpoint()
  @Header('Content-Type', 'text/css; charset=utf-8')
  @Header('Cache-Control', 'public, max-age=3600')
  css(): string {
    return PORTAL_CSS;
  }

  @Get('portal/assets/portal.js')
  @ApiExcludeEndpoint()
  @Header('Content-Type', 'text/javascript; charset=utf-8')
  @Header('Cache-Control', 'public, max-age=3600')
  js(): string {
    return PORTAL_JS;
  }

  @Get('portal')
  @ApiExcludeEndpoint()
  async home(@Query() query: Record<string, unknown>, @Res({ passthrough: true }) response: Response): Promise<string> {
    const search = searchOf(query);
    let after;
    try {
      after = typeof query['cursor'] === 'string' ? decodePageCursor(query['cursor']) : undefined;
    } catch {
      after = undefined;
    }
    const page = await this.decisions.page({ keyword: search.q, ...search }, { after, limit: 20 });
    const next = page.next
      ? `/portal?${new URLSearchParams({ ...Object.fromEntries(Object.entries(search).filter(([, v]) => v !== undefined)), cursor: encodePageCursor(page.next) } as Record<string, string>).toString()}`
      : null;
    return html(response, homePage(page.items.map(publicDecisionView), search, await this.roster.agencies(), next));
  }

  @Get('portal/decisions/:id')
  @ApiExcludeEndpoint()
  async decision(@Param('id', ParseUUIDPipe) id: string, @Res({ passthrough: true }) response: Response): Promise<string> {
    const row = await this.decisions.byId(id);
    if (!row) throw new DomainError('DECISION_NOT_PUBLIC', '未查询到该公示信息', HttpStatus.NOT_FOUND);
    return html(response, decisionPage(publicDecisionView(row), await this.roots.proofs(id)));
  }

  @Get('portal/agencies')
  @ApiExcludeEndpoint()
  async agencies(@Res({ passthrough: true }) response: Response): Promise<string> {
    return html(response, agenciesPage(await this.roster.agencies()));
  }

  @Get('portal/agencies/:id')
  @ApiExcludeEndpoint()
  async agency(@Param('id', ParseUUIDPipe) id: string, @Res({ passthrough: true }) response: Response): Promise<string> {
    const agency = await this.roster.agency(id);
    if (!agency) throw new DomainError('AGENCY_NOT_FOUND', '未查询到该执法机关', HttpStatus.NOT_FOUND);
    return html(response, agencyPage(agency, await this.roster.roster(id), await this.roster.sections(id)));
  }

  @Get('portal/certificates')
  @ApiExcludeEndpoint()
  async certificateForm(@Query('number') number: unknown, @Res({ passthrough: true }) response: Response): Promise<string> {
    const wanted = typeof number === 'string' && number.trim() && number.length <= 64 ? number.trim() : undefined;
    return html(response, certificatePage(wanted, wanted ? await this.roster.certificate(wanted) : null));
  }

  /** The target of a certificate's QR code. */
  @Get('portal/certificates/:number')
  @ApiExcludeEndpoint()
  async certificate(@Param('number') number: string, @Res({ passthrough: true }) response: Response): Promise<string> {
    const view = number.length <= 64 ? await this.roster.certificate(number) : null;
    return html(response, certificatePage(number, view), view ? 200 : 404);
  }

  @Get('portal/statistics')
  @ApiExcludeEndpoint()
  async statistics(@Query('year') yearText: unknown, @Res({ passthrough: true }) response: Response): Promise<string> {
    const current = Number(chinaDayOf(new Date()).slice(0, 4));
    const asked = typeof yearText === 'string' && /^\d{4}$/.test(yearText) ? Number(yearText) : current - 1;
    if (asked >= current) return html(response, statisticsPage(asked, null));
    return html(response, statisticsPage(asked, await this.annualStatistics.ofYear(asked)));
  }

  /** Server-sent events: each decision as it is published (event `decision`); a stream, so not in the OpenAPI document. */
  @Sse('public/events')
  @ApiExcludeEndpoint()
  events(): Observable<MessageEvent> {
    return this.feed.decisions.pipe(map((decision) => ({ type: 'decision', id: decision.id, data: decision })));
  }
}
