/**
 * What kind of refusal an error is. The HTTP edge (service-runtime's ApiErrorFilter) maps each kind to one status;
 * domain code never knows about HTTP.
 */
export type RefusalKind =
  | 'invalid' // the request itself is malformed or incomplete
  | 'unauthenticated'
  | 'forbidden' // outside the caller's agency, region or role
  | 'not-found'
  | 'conflict' // the current state of what it acts on forbids it
  | 'refused' // the law or a business rule refuses it
  | 'unsupported-media-type'
  | 'range-not-satisfiable'
  | 'not-implemented'
  | 'unavailable' // something needed is missing or down now; try again later
  | 'fault'; // something is broken that people must look at

/** One field of the input and what is wrong with it. */
export interface FieldProblem {
  field: string;
  problems: string[];
}

export interface RefusalOptions {
  /** The legal article that forbids it, where there is one; answered first in the details. */
  article?: string;
  details?: Record<string, unknown>;
  /** Instead of details: what is wrong with each field of the input, as a validation failure lists it. */
  problems?: readonly FieldProblem[];
}

/**
 * A refusal the domain explains: a stable `code` for clients, the `article` behind it, a Chinese `message` for
 * the people who use the platform. Plain: no framework, no HTTP status. Each service names its own subclass.
 */
export class Refusal extends Error {
  readonly article?: string;
  /** What the response carries beside code and message: the article first, then anything else. */
  readonly details?: Record<string, unknown>;
  readonly problems?: readonly FieldProblem[];

  constructor(
    readonly code: string,
    message: string,
    readonly kind: RefusalKind = 'refused',
    options: RefusalOptions = {},
  ) {
    super(message);
    this.name = new.target.name;
    this.article = options.article;
    this.details = options.article === undefined ? options.details : { article: options.article, ...options.details };
    this.problems = options.problems;
  }
}
