/**
 * What kind of refusal a domain error is. The HTTP edge (http/recording-error.filter.ts) maps each kind to one
 * status; the core never knows about HTTP.
 */
export type RecordingErrorKind =
  | 'invalid' // the request itself is malformed or incomplete
  | 'unauthenticated'
  | 'forbidden' // outside the caller's scope
  | 'not-found'
  | 'conflict' // the case's (or an upload's) current state forbids it
  | 'refused' // the law or a business rule refuses it now
  | 'unsupported-media-type'
  | 'range-not-satisfiable'
  | 'not-implemented'
  | 'unavailable' // a dependency is down; try again later
  | 'fault'; // something is broken that people must look at

/** One field of the input and what is wrong with it. */
export interface FieldProblem {
  field: string;
  problems: string[];
}

/**
 * A refusal the recording domain explains: a stable `code` for clients, the legal `article` that forbids it
 * where there is one, and a Chinese `message` for officers. Plain: no framework, no HTTP status.
 */
export class RecordingError extends Error {
  readonly article?: string;

  constructor(
    readonly code: string,
    message: string,
    readonly kind: RecordingErrorKind = 'refused',
    options: { article?: string; details?: Record<string, unknown>; problems?: readonly FieldProblem[] } = {},
  ) {
    super(message);
    this.name = 'RecordingError';
    this.article = options.article;
    this.details = options.article === undefined ? options.details : { article: options.article, ...options.details };
    this.problems = options.problems;
  }

  /** What the response carries beside code and message: the article first, then anything else. */
  readonly details?: Record<string, unknown>;
  /** Instead of details: what is wrong with each field of the input, as a validation failure lists it. */
  readonly problems?: readonly FieldProblem[];
}

export function isRecordingError(error: unknown, code?: string): error is RecordingError {
  return error instanceof RecordingError && (code === undefined || error.code === code);
}
