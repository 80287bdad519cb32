import { Controller, ForbiddenException, Get, Query, Req, UnauthorizedException } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiPropertyOptional } from '@nestjs/swagger';
import type { AuthenticatedRequest } from '@enforcement/auth';
import { PageQuery, pageView, type PageView } from '@enforcement/service-runtime';
import { IsIn, IsISO8601, IsOptional, IsString, Length } from 'class-validator';
import { CERTIFICATE_REFUSAL_CODES, type CertificateRefusalCode } from '../check/certificate-refusal-code';
import { isDivisionCode } from '../check/region-code';
import { CertificateRefusalLogService } from './certificate-refusal-log.service';
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

export class CertificateRefusalQueryDto extends PageQuery({ defaultLimit: 50, maxLimit: 200 }) {
  @ApiPropertyOptional({ description: 'Inclusive, ISO 8601' })
  @IsOptional()
  @IsISO8601()
  from?: string;

  @ApiPropertyOptional({ description: 'Exclusive, ISO 8601' })
  @IsOptional()
  @IsISO8601()
  to?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 36)
  agencyId?: string;

  @ApiPropertyOptional({ enum: CERTIFICATE_REFUSAL_CODES })
  @IsOptional()
  @IsIn(CERTIFICATE_REFUSAL_CODES)
  code?: CertificateRefusalCode;
}

/**
 * Refused officer actions, for supervision (执法监督): system administrators see all, a supervisor those in the
 * division they supervise and below. Roles are checked here from `request.user`, whatever guard set it.
 */
@ApiBearerAuth()
@Controller('supervision/certificate-refusals')
export class CertificateRefusalsController {
  constructor(private readonly refusals: CertificateRefusalLogService) {}

  @ApiOperation({ summary: 'Certificate checks refused, for supervision' })
  @Get()
  async list(@Req() request: AuthenticatedRequest, @Query() query: CertificateRefusalQueryDto): Promise<PageView<CertificateRefusalView>> {
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
    const page = await this.refusals.list({
      from: query.from === undefined ? undefined : new Date(query.from),
      to: query.to === undefined ? undefined : new Date(query.to),
      agencyId: query.agencyId,
      code: query.code,
      withinRegion,
      limit: query.pageSize(),
      after: query.after(),
    });
    return pageView(page, view);
  }
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
