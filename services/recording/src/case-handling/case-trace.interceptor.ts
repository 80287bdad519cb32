import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { defer, lastValueFrom, type Observable } from 'rxjs';
import { CaseTraceService } from './case-trace.service';

const CASE_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface RoutedRequest {
  method?: string;
  params?: Record<string, string | undefined>;
  route?: { path?: unknown };
}

/** Every route on one case (`:caseId`) runs its handler in the case's trace (CaseTraceService). */
@Injectable()
export class CaseTraceInterceptor implements NestInterceptor {
  constructor(private readonly traces: CaseTraceService) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const request = context.switchToHttp().getRequest<RoutedRequest>();
    const caseId = request.params?.['caseId'];
    if (!caseId || !CASE_ID.test(caseId)) return next.handle();
    const operation = `${request.method ?? ''} ${typeof request.route?.path === 'string' ? request.route.path : ''}`.trim();
    // The handler starts inside the span (Nest binds it to the context next.handle() is called in).
    return defer(() => this.traces.inCaseTrace(caseId, operation, () => lastValueFrom(next.handle(), { defaultValue: undefined })));
  }
}
