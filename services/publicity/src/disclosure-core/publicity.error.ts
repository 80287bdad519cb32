import { Refusal } from '@enforcement/refusals';

/**
 * A refusal the publicity domain explains: a stable `code`, the legal `article` behind it where there is one, a
 * Chinese `message`. Plain: no framework, no HTTP status (the kind decides it at the edge).
 */
export class PublicityError extends Refusal {}

export function isPublicityError(error: unknown, code?: string): error is PublicityError {
  return error instanceof PublicityError && (code === undefined || error.code === code);
}

/** Articles cited by the rules of this service. */
export const ARTICLES = {
  art34: '《行政处罚法》第三十四条',
  art48: '《行政处罚法》第四十八条',
  art85: '《行政处罚法》第八十五条',
  guidance118: '《国务院办公厅关于全面推行行政执法公示制度执法全过程记录制度重大执法决定法制审核制度的指导意见》（国办发〔2018〕118号）',
  minors: '《未成年人保护法》第一百零三条',
} as const;
