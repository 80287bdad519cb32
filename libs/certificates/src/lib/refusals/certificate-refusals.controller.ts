import { BadRequestException, Controller, ForbiddenException, Get, Query, Req, UnauthorizedException } from '@nestjs/common';
import { CERTIFICATE_REFUSAL_CODES, isCertificateRefusalCode } from '../check/certificate-refusal-code';
import { isDivisionCode } from '../check/region-code';
import type { CertifiedRequest } from '../guard/certified-request';
import { CertificateRefusalLog, type CertificateRefusalQuery, type RefusalCursor } from './certificate-refusal-log.service';
import type { CertificateRefusalEntity } from './certificate-refusal.entity';

export interface CertificateRefusalView {
  id: string;
  occurredAt: string;
  userId: string;
  agencyId: string;
  officerId: string | null;
  officerIds: string[];
  code: string;
  route: string;
  domain: string;
  regionCode: string;
  onSite: boolean;
}

export interface CertificateRefusalPageView {
  items: CertificateRefusalView[];
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 200;
const PARAMETERS = ['from', 'to', 'agencyId', 'code', 'limit', 'cursor'] as const;

type QueryParameters = Record<string, string | string[] | undefined>;

interface FieldProblem {
  field: string;
  problems: string[];
}

/**
 * Refused officer actions, for supervision (执法监督): system administrators see all, a supervisor those in the
 * division they supervise and below. Roles are checked here from `request.user`, whatever guard set it.
 */
@Controller('supervision/certificate-refusals')
export class CertificateRefusalsController {
  constructor(private readonly refusals: CertificateRefusalLog) {}

  @Get()
  async list(@Req() request: CertifiedRequest, @Query() parameters: QueryParameters): Promise<CertificateRefusalPageView> {
    const user = request.user;
    if (!user?.userId) throw new UnauthorizedException({ code: 'UNAUTHENTICATED', message: '未登录或登录已失效' });
    let withinRegion: string | undefined;
    if (!user.roles.includes('system-admin')) {
      if (!user.roles.includes('supervisor')) {
        throw new ForbiddenException({ code: 'FORBIDDEN', message: '仅执法监督人员或系统管理员可查看证件核验拒绝记录' });
      }
      if (!user.supervisedRegionCode || !isDivisionCode(user.supervisedRegionCode)) {
        throw new ForbiddenException({ code: 'FORBIDDEN', message: '未设定监督区域，无法查看证件核验拒绝记录' });
      }
      withinRegion = user.supervisedRegionCode;
    }
    const page = await this.refusals.list({ ...parseQuery(parameters), withinRegion });
    return { items: page.items.map(view), nextCursor: page.next ? encodeCursor(page.next) : null };
  }
}

function parseQuery(parameters: QueryParameters): Omit<CertificateRefusalQuery, 'withinRegion'> {
  const problems: FieldProblem[] = [];
  const problem = (field: string, text: string) => problems.push({ field, problems: [text] });
  const single = (field: string): string | undefined => {
    const value = parameters[field];
    if (Array.isArray(value)) {
      problem(field, `${field} may be given once`);
      return undefined;
    }
    return value === '' ? undefined : value;
  };
  for (const field of Object.keys(parameters)) {
    if (!(PARAMETERS as readonly string[]).includes(field)) problem(field, `unknown parameter; known: ${PARAMETERS.join(', ')}`);
  }
  const instant = (field: string): Date | undefined => {
    const value = single(field);
    if (value === undefined) return undefined;
    const date = new Date(value);
    if (Number.isNaN(date.getTime())) problem(field, `${field} must be an ISO 8601 date-time`);
    return date;
  };
  const from = instant('from');
  const to = instant('to');
  const agencyId = single('agencyId');
  const code = single('code');
  if (code !== undefined && !isCertificateRefusalCode(code)) {
    problem('code', `code must be one of ${CERTIFICATE_REFUSAL_CODES.join(', ')}`);
  }
  const limitText = single('limit');
  const limit = limitText === undefined ? DEFAULT_LIMIT : Number(limitText);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) problem('limit', `limit must be an integer from 1 to ${MAX_LIMIT}`);
  const cursorText = single('cursor');
  const after = cursorText === undefined ? undefined : decodeCursor(cursorText);
  if (cursorText !== undefined && !after) problem('cursor', 'cursor is not one this endpoint returned');

  if (problems.length > 0) {
    throw new BadRequestException({ code: 'VALIDATION_FAILED', message: '提交的数据不符合要求，请检查后重试', details: problems });
  }
  return {
    from,
    to,
    agencyId,
    code: code !== undefined && isCertificateRefusalCode(code) ? code : undefined,
    limit,
    after,
  };
}

function view(row: CertificateRefusalEntity): CertificateRefusalView {
  return {
    id: row.id,
    occurredAt: row.occurredAt.toISOString(),
    userId: row.userId,
    agencyId: row.agencyId,
    officerId: row.officerId,
    officerIds: row.officerIds,
    code: row.code,
    route: row.route,
    domain: row.domain,
    regionCode: row.regionCode,
    onSite: row.onSite,
  };
}

function encodeCursor(cursor: RefusalCursor): string {
  return Buffer.from(JSON.stringify([cursor.occurredAt.toISOString(), cursor.id])).toString('base64url');
}

function decodeCursor(text: string): RefusalCursor | undefined {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (!Array.isArray(parsed) || parsed.length !== 2) return undefined;
    const [at, id] = parsed as unknown[];
    if (typeof at !== 'string' || typeof id !== 'string') return undefined;
    const occurredAt = new Date(at);
    return Number.isNaN(occurredAt.getTime()) ? undefined : { occurredAt, id };
  } catch {
    return undefined;
  }
}
