import { Inject, Injectable } from '@nestjs/common';
import { penaltyKindName } from '@enforcement/contracts';
import { OBJECT_STORAGE, SERVICE_CONFIG } from '@enforcement/service-runtime';
import type { ObjectStorage } from '@enforcement/storage';
import { createHash, randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { KnownAgencyRepository } from '../agencies/known-agency.repository';
import type { LegalReviewConfig } from '../config/legal-review-settings';
import { LegalReviewError } from '../review-core/legal-review.error';
import { yuan } from '../review-core/proposal';
import { OUTCOME_TEXT, REVIEW_ITEM_TEXT } from '../review-core/review';
import type { OpinionFonts } from './opinion-font';
import { renderOpinionPdf, type OpinionDocument } from './opinion-pdf';
import type { OpinionInput, OpinionRenderer, StoredOpinion } from './opinion-renderer';

/** The Shanghai date of an instant, as the opinion prints it: 2026年3月2日. */
export function chineseDate(at: Date): string {
  const shanghai = new Date(at.getTime() + 8 * 3_600_000);
  return `${shanghai.getUTCFullYear()}年${shanghai.getUTCMonth() + 1}月${shanghai.getUTCDate()}日`;
}

/** What the opinion prints, from a concluded round. */
export function opinionDocumentOf(input: OpinionInput, agencyName: string): OpinionDocument {
  const { snapshot } = input;
  const discretion = input.discretion;
  return {
    agencyName,
    caseNumber: input.caseNumber,
    round: input.round,
    proposal: snapshot.penalties.map((p) =>
      p.amountFen > 0 ? `${penaltyKindName(p.kind)} ${yuan(p.amountFen)}` : penaltyKindName(p.kind),
    ),
    legalBasis: snapshot.legalBasis,
    discretion: discretion
      ? [
          `${discretion.violationCode} ${discretion.bandText}`,
          discretion.fineRangeFen ? `罚款幅度${yuan(discretion.fineRangeFen.min)}至${yuan(discretion.fineRangeFen.max)}` : null,
          discretion.inBand ? '拟处罚在裁量基准范围内' : `超出裁量基准：${discretion.findings.map((f) => f.message).join('；')}`,
          discretion.outOfBandReason ? `说明理由：${discretion.outOfBandReason}` : null,
        ]
          .filter((part): part is string => part !== null)
          .join('，')
      : null,
    items: input.items.map((finding) => ({
      title: REVIEW_ITEM_TEXT[finding.item],
      result:
        finding.item === 'possible-crime'
          ? finding.result === 'problem'
            ? '涉嫌犯罪，应当移送司法机关'
            : '未发现涉嫌犯罪'
          : finding.result === 'pass'
            ? '符合规定'
            : '存在问题',
      comment: finding.comment,
    })),
    conclusion: OUTCOME_TEXT[input.outcome],
    opinion: input.opinion,
    reviewer: input.reviewerName,
    date: chineseDate(input.concludedAt),
  };
}

/**
 * The written opinion (法制审核意见书) of a concluded round as a PDF in object storage, under a key of its own
 * (objects are never overwritten); its SHA-256 travels in ReviewConcluded into the case's record.
 */
@Injectable()
export class OpinionStoreService implements OpinionRenderer {
  private fonts: Promise<OpinionFonts> | undefined;

  constructor(
    private readonly agencies: KnownAgencyRepository,
    @Inject(OBJECT_STORAGE) private readonly storage: ObjectStorage,
    @Inject(SERVICE_CONFIG) private readonly config: LegalReviewConfig,
  ) {}

  async render(input: OpinionInput): Promise<StoredOpinion> {
    const agency = await this.agencies.byId(input.agencyId);
    const bytes = Buffer.from(await renderOpinionPdf(opinionDocumentOf(input, agency?.name ?? input.agencyId), await this.loadFonts()));
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const objectKey = `legal-review/opinions/${input.reviewId}/round-${input.round}-${randomUUID()}.pdf`;
    await this.storage.putStream(objectKey, Readable.from([bytes]), { contentType: 'application/pdf', expectedSha256: sha256 });
    return { objectKey, sha256 };
  }

  /** The stored PDF of an opinion. */
  read(objectKey: string): Promise<Readable> {
    return this.storage.getStream(objectKey);
  }

  private loadFonts(): Promise<OpinionFonts> {
    this.fonts ??= Promise.all([readFile(this.config.settings.opinionFontFile), readFile(this.config.settings.opinionLatinFontFile)]).then(
      ([cjk, latin]) => ({ cjk, latin }),
      (error: unknown) => {
        this.fonts = undefined;
        throw new LegalReviewError('OPINION_FONT_MISSING', '审核意见书所需字体未安装，暂不能出具意见书', 'unavailable', {
          details: { reason: error instanceof Error ? error.message : String(error) },
        });
      },
    );
    return this.fonts;
  }
}
