/**
 * What kind of refusal a publicity error is; the HTTP edge (http/publicity-error.filter.ts) maps each kind to one
 * status, the core never knows about HTTP.
 */
export type PublicityErrorKind =
  | 'invalid' // the request itself is malformed or incomplete
  | 'forbidden' // outside the caller's agency
  | 'not-found'
  | 'conflict' // the disclosure's current state forbids it
  | 'refused'; // the law or a business rule refuses it

/**
 * A refusal the publicity domain explains: a stable `code`, the legal `article` behind it where there is one, a
 * Chinese `message`. Plain: no framework, no HTTP status.
 */
export class PublicityError extends Error {
  readonly details?: Record<string, unknown>;

  constructor(
    readonly code: string,
    message: string,
    readonly kind: PublicityErrorKind = 'refused',
    options: { article?: string; details?: Record<string, unknown> } = {},
  ) {
    super(message);
    this.name = 'PublicityError';
    this.details = options.article === undefined ? options.details : { article: options.article, ...options.details };
  }
}

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
