import { activeTraceIds, contextFromTraceparent, ServiceTracing } from '@enforcement/observability';
import { Writable } from 'node:stream';
import { createServiceLogger, ServiceLogger } from './service-logger';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';

/** The lines a service's logger writes, parsed. */
function capture() {
  const lines: Array<Record<string, unknown>> = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString('utf8')) as Record<string, unknown>);
      done();
    },
  });
  return { lines, logger: createServiceLogger('recording', 'info', destination) };
}

describe('log lines and traces', () => {
  const tracing = new ServiceTracing({ serviceName: 'recording', exporter: 'none' });

  it('carry the trace_id and span_id of the work they were written in, through Nest`s logger too', async () => {
    const { lines, logger } = capture();
    const ids = await tracing.inSpan('request', { parent: contextFromTraceparent(`00-${TRACE_ID}-00f067aa0ba902b7-01`) }, async () => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      logger.info('direct');
      new ServiceLogger(logger).warn('through Nest', 'CasesService');
      return activeTraceIds();
    });

    expect(ids.trace_id).toBe(TRACE_ID);
    expect(lines).toHaveLength(2);
    for (const line of lines) expect(line).toMatchObject({ service: 'recording', trace_id: TRACE_ID, span_id: ids.span_id });
  });

  it('carry no trace ids outside any span', () => {
    const { lines, logger } = capture();
    logger.info('at boot');
    expect(lines[0]).not.toHaveProperty('trace_id');
    expect(lines[0]).not.toHaveProperty('span_id');
  });
});
