// The plain refusal every service's domain throws; the HTTP edge maps its kind to a status.
export { Refusal, type FieldProblem, type RefusalKind, type RefusalOptions } from './lib/refusal';
