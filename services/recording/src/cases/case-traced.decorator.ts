import { AroundHandler, type HandlerWrapper } from '@enforcement/service-runtime';
import type { CaseTraceService } from './case-trace.service';

const CASE_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A controller with routes on one case: it holds the service that knows each case's trace. */
export interface CaseTracedController {
  readonly caseTraces: CaseTraceService;
}

/** Runs a route on one case (`:caseId`) in the case's trace; other routes as they are. */
export const inCaseTrace: HandlerWrapper<CaseTracedController> = (request, run, controller) => {
  const caseId: unknown = request?.params['caseId'];
  if (!request || typeof caseId !== 'string' || !CASE_ID.test(caseId)) return run();
  const operation = `${request.method} ${request.routeOptions.url ?? ''}`.trim();
  return controller.caseTraces.inCaseTrace(caseId, operation, run);
};

/**
 * Every route of the controller on one case runs its handler in the case's trace (CaseTraceService): its logs and
 * the events it emits carry the case's trace id, whoever called. Routes on several cases or none are left as they
 * are. The handler runs after the guards and pipes, so a refused request never reaches the case's trace.
 */
export const CaseTraced = () => AroundHandler(inCaseTrace);
