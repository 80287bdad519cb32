import { Injectable } from '@nestjs/common';
import type { AuthenticatedUser } from '@enforcement/auth';
import { Events, legalReviewV1, timestampFromDate } from '@enforcement/contracts';
import { TransactionalOutbox } from '@enforcement/events';
import { isDuplicateKeyError } from '@enforcement/persistence';
import { randomUUID } from 'node:crypto';
import type { MessageInitShape } from '@bufbuild/protobuf';
import type { EntityManager } from 'typeorm';
import { assertOwnAgency } from '../http/access';
import {
  assertPublishable,
  DEFAULT_REVIEW_WORKING_DAYS,
  emptyCatalog,
  type CatalogContent,
  type CatalogCriteria,
  type CatalogVersion,
} from '../review-core/catalog';
import { LegalReviewError } from '../review-core/legal-review.error';
import type { CatalogVersionEntity } from './catalog-version.entity';
import { CatalogVersionRepository } from './catalog-version.repository';
import type { PublishCatalogDto } from './catalog.dto';

export interface CatalogVersionView {
  agencyId: string;
  version: number;
  content: CatalogContent;
  note: string;
  publishedBy: string;
  publishedAt: string | null;
}

/** Drops what class-transformer leaves undefined, so stored criteria hold only what was given. */
function criteria<T extends CatalogCriteria>(input: T): T {
  return Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined)) as T;
}

/**
 * The major-decision catalog per agency (重大执法决定法制审核目录清单, 118号; Art. 58, 57, 63): an agency
 * administrator publishes versions, never edits one; the version in force applies to each new proposal, and
 * which version applied is kept with the review. Publishing announces the agency's Art. 63 and Art. 57 figures.
 */
@Injectable()
export class CatalogService {
  constructor(
    private readonly catalogVersions: CatalogVersionRepository,
    private readonly outbox: TransactionalOutbox,
  ) {}

  async publish(agencyId: string, input: PublishCatalogDto, user: AuthenticatedUser): Promise<CatalogVersionView> {
    assertOwnAgency(user, agencyId);
    const content: CatalogContent = {
      rules: input.rules.map((rule) => criteria({ ...rule })),
      hearingThresholds: {
        largeFineFen: { ...input.hearingThresholds.largeFineFen },
        largeConfiscationFen: { ...input.hearingThresholds.largeConfiscationFen },
      },
      collectiveDecisionConditions: input.collectiveDecisionConditions.map((condition) => criteria({ ...condition })),
      reviewWorkingDays: input.reviewWorkingDays ?? DEFAULT_REVIEW_WORKING_DAYS,
    };
    assertPublishable(content);
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.outbox.run(async (tx) => {
          const latest = await this.catalogVersions.latest(agencyId, tx.manager);
          const row: CatalogVersionEntity = {
            id: randomUUID(),
            agencyId,
            version: (latest?.version ?? 0) + 1,
            content,
            note: input.note ?? '',
            publishedBy: user.userId,
            publishedAt: new Date(),
          };
          await this.catalogVersions.insert(tx.manager, row);
          await tx.emit(Events.CatalogPublished, catalogPublishedPayload(row), {
            partitionKey: agencyId,
            agencyId,
            actingUserId: user.userId,
          });
          return viewOf(row);
        });
      } catch (error) {
        // Two administrators publishing at once: the unique (agency, version) index lets one win; retry once.
        if (attempt === 0 && isDuplicateKeyError(error)) continue;
        if (isDuplicateKeyError(error)) throw new LegalReviewError('CONCURRENT_CHANGE', '目录清单刚被他人修改，请刷新后重试', 'conflict');
        throw error;
      }
    }
  }

  /** The version in force for an agency: the latest published one, or the empty catalog with default figures. */
  async current(agencyId: string, manager?: EntityManager): Promise<CatalogVersion> {
    const latest = await this.catalogVersions.latest(agencyId, manager);
    return latest ? { agencyId, version: latest.version, content: latest.content } : emptyCatalog(agencyId);
  }

  async currentView(agencyId: string): Promise<CatalogVersionView> {
    const latest = await this.catalogVersions.latest(agencyId);
    if (latest) return viewOf(latest);
    const empty = emptyCatalog(agencyId);
    return { agencyId, version: 0, content: empty.content, note: '', publishedBy: '', publishedAt: null };
  }

  async versions(agencyId: string): Promise<Array<Omit<CatalogVersionView, 'content'> & { rules: number }>> {
    const rows = await this.catalogVersions.listOf(agencyId, 500);
    return rows.map((row) => {
      const { content, ...view } = viewOf(row);
      return { ...view, rules: content.rules.length };
    });
  }

  async version(agencyId: string, version: number): Promise<CatalogVersionView> {
    const row = Number.isInteger(version) ? await this.catalogVersions.byVersion(agencyId, version) : null;
    if (!row) throw new LegalReviewError('CATALOG_VERSION_NOT_FOUND', '目录清单版本不存在', 'not-found');
    return viewOf(row);
  }
}

function viewOf(row: CatalogVersionEntity): CatalogVersionView {
  return {
    agencyId: row.agencyId,
    version: row.version,
    content: row.content,
    note: row.note,
    publishedBy: row.publishedBy,
    publishedAt: row.publishedAt.toISOString(),
  };
}

const big = (fen: number | undefined) => (fen === undefined ? undefined : BigInt(fen));

/** The figures recording applies (Art. 63 large amounts, Art. 57 conditions), as CatalogPublished carries them. */
export function catalogPublishedPayload(row: CatalogVersionEntity) {
  const { hearingThresholds, collectiveDecisionConditions, reviewWorkingDays } = row.content;
  return {
    agencyId: row.agencyId,
    version: row.version,
    largeFineNaturalPersonFen: BigInt(hearingThresholds.largeFineFen['natural-person']),
    largeFineOrganisationFen: BigInt(hearingThresholds.largeFineFen.organisation),
    largeConfiscationNaturalPersonFen: BigInt(hearingThresholds.largeConfiscationFen['natural-person']),
    largeConfiscationOrganisationFen: BigInt(hearingThresholds.largeConfiscationFen.organisation),
    collectiveDecisionConditions: collectiveDecisionConditions.map(
      (condition): MessageInitShape<typeof legalReviewV1.CollectiveDecisionConditionSchema> => ({
        id: condition.id,
        title: condition.title,
        domains: condition.domains ?? [],
        penaltyKinds: condition.penaltyKinds ?? [],
        minFineNaturalPersonFen: big(condition.minFineTotalFen?.['natural-person']),
        minFineOrganisationFen: big(condition.minFineTotalFen?.organisation),
        minConfiscationNaturalPersonFen: big(condition.minConfiscationTotalFen?.['natural-person']),
        minConfiscationOrganisationFen: big(condition.minConfiscationTotalFen?.organisation),
        hearingHeld: condition.hearingHeld,
        flags: condition.flags ?? [],
        conditions: condition.conditions ?? [],
      }),
    ),
    reviewWorkingDays,
    publishedAt: timestampFromDate(row.publishedAt),
  };
}
