import { Refusal } from '@enforcement/refusals';

/**
 * A refusal the certificates domain explains: a stable `code`, the article behind it where there is one, a
 * Chinese `message` for administrators. Plain: no framework, no HTTP status (its kind decides that at the edge).
 */
export class CertificatesError extends Refusal {}
