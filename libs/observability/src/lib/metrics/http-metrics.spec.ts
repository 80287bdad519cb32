import fastify, { type FastifyInstance } from 'fastify';
import supertest from 'supertest';
import { httpMetricsMiddleware, markRoutePattern } from './http-metrics';
import { Metrics } from './metrics.service';

/** The request counts of the latency histogram: [labels, count] per series. */
async function counts(metrics: Metrics): Promise<Array<[Record<string, string | number>, number]>> {
  const histogram = await metrics.httpRequestDuration.get();
  return histogram.values
    .filter((value) => value.metricName === 'http_request_duration_seconds_count')
    .map((value) => [value.labels, value.value]);
}

describe(httpMetricsMiddleware.name, () => {
  let metrics: Metrics;
  let app: FastifyInstance;
  let answer!: () => void;
  const request = (server: FastifyInstance) => supertest(server.server);

  beforeEach(async () => {
    metrics = new Metrics('recording', { processMetrics: false });
    // As startService installs them: the middleware first of all, the route pattern once the body is read.
    app = fastify({ bodyLimit: 100 });
    const middleware = httpMetricsMiddleware(metrics);
    app.addHook('onRequest', (req, reply, done) => middleware(req.raw, reply.raw, done));
    app.addHook('preHandler', (req, _reply, done) => {
      markRoutePattern(req);
      done();
    });
    app.get('/cases/:id/steps', async () => []);
    app.post('/cases/:id/steps', async (_req, reply) => reply.status(201).send({}));
    app.get('/metrics', async () => 'scrape');
    app.get('/slow/:id', (_req, reply) => {
      answer = () => void reply.send({});
    });
    await app.ready();
  });

  afterEach(() => app.close());

  it('labels a request with its route pattern, never the raw URL', async () => {
    await request(app).get('/cases/5a1e0c1a-0000-4000-8000-000000000001/steps').expect(200);
    await request(app).get('/cases/5a1e0c1a-0000-4000-8000-000000000002/steps?limit=5').expect(200);
    await request(app).post('/cases/x/steps').send({}).expect(201);
    expect(await counts(metrics)).toEqual([
      [{ method: 'GET', route: '/cases/:id/steps', status: '200' }, 2],
      [{ method: 'POST', route: '/cases/:id/steps', status: '201' }, 1],
    ]);
  });

  it('puts unknown paths under one label instead of a series per URL', async () => {
    await request(app).get('/no/such/1').expect(404);
    await request(app).get('/no/such/2').expect(404);
    expect(await counts(metrics)).toEqual([[{ method: 'GET', route: 'unmatched', status: '404' }, 2]]);
  });

  it('counts a request refused while its body was read', async () => {
    await request(app)
      .post('/cases/x/steps')
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ text: 'x'.repeat(500) }))
      .expect(413);
    expect(await counts(metrics)).toEqual([[{ method: 'POST', route: 'unmatched', status: '413' }, 1]]);
  });

  it('counts a request whose client went away before the answer as 499, under its route', async () => {
    await expect(request(app).get('/slow/1').timeout(200)).rejects.toThrow(/Timeout/);
    await new Promise((resolve) => setTimeout(resolve, 50));
    answer();
    expect(await counts(metrics)).toEqual([[{ method: 'GET', route: '/slow/:id', status: '499' }, 1]]);
  });

  it('leaves the scrapes of /metrics out', async () => {
    await request(app).get('/metrics').expect(200);
    await request(app).get('/metrics?x=1').expect(200);
    expect(await counts(metrics)).toEqual([]);
  });
});
