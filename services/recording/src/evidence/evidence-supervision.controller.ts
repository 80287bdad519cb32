import { Controller, Get, HttpStatus, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Roles, type AuthenticatedUser } from '@enforcement/auth';
import { isDivisionCode } from '@enforcement/certificates';
import { DomainError } from '@enforcement/service-runtime';
import { EvidenceViewQueryDto } from './evidence.dto';
import { EvidenceErrors } from './evidence.errors';
import type { EvidenceViewEntity } from './evidence-view.entity';
import { EvidenceViewLog, type EvidenceViewCursor } from './evidence-view-log.service';

export interface EvidenceViewView {
  id: string;
  evidenceId: string;
  caseId: string;
  agencyId: string;
  regionCode: string;
  userId: string;
  viewerAgencyId: string;
  viewerRoles: string[];
  purpose: string;
  kind: string;
  byteRange: string | null;
  viewedAt: string;
}

export interface EvidenceViewPageView {
  items: EvidenceViewView[];
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

const DEFAULT_LIMIT = 50;

/**
 * Who viewed which evidence, when and why (调阅监督): system administrators see every view, a supervisor the
 * views of evidence in the division they supervise and below.
 */
@ApiTags('supervision')
@ApiBearerAuth()
@Controller('supervision/evidence-views')
@Roles('supervisor', 'system-admin')
export class EvidenceSupervisionController {
  constructor(private readonly views: EvidenceViewLog) {}

  @Get()
  async list(@Query() query: EvidenceViewQueryDto, @CurrentUser() user: AuthenticatedUser): Promise<EvidenceViewPageView> {
    let withinRegion: string | undefined;
    if (!user.roles.includes('system-admin')) {
      if (!user.supervisedRegionCode || !isDivisionCode(user.supervisedRegionCode)) throw EvidenceErrors.supervisorRegionMissing();
      withinRegion = user.supervisedRegionCode;
    }
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
    const page = await this.views.list({
      caseId: query.caseId,
      agencyId: query.agencyId,
      from: query.from === undefined ? undefined : new Date(query.from),
      to: query.to === undefined ? undefined : new Date(query.to),
      withinRegion,
      limit: query.limit ?? DEFAULT_LIMIT,
      after,
    });
    return { items: page.items.map(view), nextCursor: page.next ? encodeCursor(page.next) : null };
  }
}

function view(row: EvidenceViewEntity): EvidenceViewView {
  return {
    id: row.id,
    evidenceId: row.evidenceId,
    caseId: row.caseId,
    agencyId: row.agencyId,
    regionCode: row.regionCode,
    userId: row.userId,
    viewerAgencyId: row.viewerAgencyId,
    viewerRoles: row.viewerRoles,
    purpose: row.purpose,
    kind: row.kind,
    byteRange: row.byteRange,
    viewedAt: row.viewedAt.toISOString(),
  };
}

function encodeCursor(cursor: EvidenceViewCursor): string {
  return Buffer.from(JSON.stringify([cursor.viewedAt.toISOString(), cursor.id])).toString('base64url');
}

function decodeCursor(text: string): EvidenceViewCursor {
  const invalid = () =>
    new DomainError('VALIDATION_FAILED', '提交的数据不符合要求，请检查后重试', HttpStatus.BAD_REQUEST, [
      { field: 'cursor', problems: ['cursor is not one this endpoint returned'] },
    ]);
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (!Array.isArray(parsed) || parsed.length !== 2) throw invalid();
  const [at, id] = parsed as unknown[];
  if (typeof at !== 'string' || typeof id !== 'string') throw invalid();
  const viewedAt = new Date(at);
  if (Number.isNaN(viewedAt.getTime())) throw invalid();
  return { viewedAt, id };
}
