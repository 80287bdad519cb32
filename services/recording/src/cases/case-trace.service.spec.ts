import type { ServiceTracing } from '@enforcement/observability';
import { CaseTraceService } from './case-trace.service';
import type { CaseRepository } from './case.repository';

const TRACED = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';

/** The case's trace context is looked up once per case, found or not, but a case not (yet) there is asked again. */
describe('CaseTraceService', () => {
  const traces = new Map<string, string | null>([
    ['traced', TRACED],
    ['untraced', null],
  ]);
  let lookups: string[];
  let spans: string[];
  let service: CaseTraceService;

  beforeEach(() => {
    lookups = [];
    spans = [];
    const cases = {
      traceParentOf: async (caseId: string) => {
        lookups.push(caseId);
        return traces.has(caseId) ? traces.get(caseId) : undefined;
      },
    } as unknown as CaseRepository;
    const tracing = {
      inSpan: async <T>(name: string, _options: unknown, work: () => Promise<T>) => {
        spans.push(name);
        return work();
      },
    } as unknown as ServiceTracing;
    service = new CaseTraceService(cases, tracing);
  });

  const run = (caseId: string) => service.inCaseTrace(caseId, 'POST /cases/:caseId/steps', async () => caseId);

  it("runs a traced case's work in its span, reading the trace context once", async () => {
    expect([await run('traced'), await run('traced')]).toEqual(['traced', 'traced']);
    expect(spans).toEqual(['case POST /cases/:caseId/steps', 'case POST /cases/:caseId/steps']);
    expect(lookups).toEqual(['traced']);
  });

  it('remembers a case opened without a trace context: no span and no second lookup', async () => {
    expect([await run('untraced'), await run('untraced')]).toEqual(['untraced', 'untraced']);
    expect(spans).toEqual([]);
    expect(lookups).toEqual(['untraced']);
  });

  it('asks again about a case it did not find, which may be committing its opening', async () => {
    await run('opening');
    traces.set('opening', TRACED);
    await run('opening');

    expect(lookups).toEqual(['opening', 'opening']);
    expect(spans).toEqual(['case POST /cases/:caseId/steps']);
  });
});
