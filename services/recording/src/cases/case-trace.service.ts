import { Injectable } from '@nestjs/common';
import { activeSpan, contextFromTraceparent, ServiceTracing } from '@enforcement/observability';
import { CaseRepository } from './case.repository';

/**
 * Cases whose trace context is kept in memory: it never changes once the case is opened (it is written with the
 * case row, in the opening's transaction), so a case opened without one keeps none and is remembered as such.
 */
const CACHED_CASES = 10_000;

/**
 * One case's work is one trace. A request on a case runs its work in a span whose parent is the case's trace
 * context (the span of the request that opened it), linked to the request's own span, which stays in the caller's
 * trace. So the case's logs and the events its steps emit carry the case's trace id, whoever sent the request.
 */
@Injectable()
export class CaseTraceService {
  /** null: the case exists and has no trace context. */
  private readonly known = new Map<string, string | null>();

  constructor(
    private readonly cases: CaseRepository,
    private readonly tracing: ServiceTracing,
  ) {}

  /** Runs `work` in the case's trace; as it is when the case has none (opened before tracing, or no such case). */
  async inCaseTrace<T>(caseId: string, operation: string, work: () => Promise<T>): Promise<T> {
    const traceParent = await this.traceParentOf(caseId);
    if (!traceParent) return work();
    return this.tracing.inSpan(
      `case ${operation}`,
      { parent: contextFromTraceparent(traceParent), linked: activeSpan(), attributes: { 'enforcement.case_id': caseId } },
      work,
    );
  }

  private async traceParentOf(caseId: string): Promise<string | undefined> {
    const cached = this.known.get(caseId);
    if (cached !== undefined) return cached ?? undefined;
    const found = await this.cases.traceParentOf(caseId);
    // No such case (yet: its opening may still be committing): asked again next time.
    if (found === undefined) return undefined;
    if (this.known.size >= CACHED_CASES) this.known.delete(this.known.keys().next().value as string);
    this.known.set(caseId, found || null);
    return found || undefined;
  }
}
