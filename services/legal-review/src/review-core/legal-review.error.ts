import { Refusal } from '@enforcement/refusals';

/**
 * A refusal the legal-review domain explains: a stable `code`, the legal `article` behind it where there is one, a
 * Chinese `message`. Plain: no framework, no HTTP status (the kind decides it at the edge).
 */
export class LegalReviewError extends Refusal {}

export function isLegalReviewError(error: unknown, code?: string): error is LegalReviewError {
  return error instanceof LegalReviewError && (code === undefined || error.code === code);
}

/** Articles cited by the rules of this service. */
export const ARTICLES = {
  art34: '《行政处罚法》第三十四条',
  art57: '《行政处罚法》第五十七条',
  art58: '《行政处罚法》第五十八条',
  art63: '《行政处罚法》第六十三条',
  art64: '《行政处罚法》第六十四条',
  art85: '《行政处罚法》第八十五条',
  guidance118: '《国务院办公厅关于全面推行行政执法公示制度执法全过程记录制度重大执法决定法制审核制度的指导意见》（国办发〔2018〕118号）',
} as const;
