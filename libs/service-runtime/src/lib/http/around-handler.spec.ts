import {
  Body,
  Controller,
  Get,
  Injectable,
  Module,
  Param,
  ParseIntPipe,
  Post,
  SetMetadata,
  UnprocessableEntityException,
  UseGuards,
  type CanActivate,
  type ExecutionContext,
  type INestApplication,
} from '@nestjs/common';
import { NestFactory, Reflector } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import request from 'supertest';
import { AroundHandler, handlerWrappersOf, type HandlerWrapper } from './around-handler';

const calls: string[] = [];

/** Lets a request through only with the header its route's metadata names: proves the metadata still reaches Nest. */
@Injectable()
class HeaderGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const header = this.reflector.get<string | undefined>('needs-header', context.getHandler());
    calls.push(`guard ${header ?? '-'}`);
    return header === undefined || context.switchToHttp().getRequest<{ headers: Record<string, string> }>().headers[header] === 'yes';
  }
}

const named =
  (name: string): HandlerWrapper<ThingsController> =>
  async (request, run, controller) => {
    calls.push(`${name} in ${request ? `${request.method} ${request.url}` : 'no request'} on ${controller.label}`);
    const answer = await run();
    calls.push(`${name} out`);
    return { [name]: answer };
  };
const outer = named('class');
const inner = named('method');

@AroundHandler(outer)
@Controller('things')
class ThingsController {
  readonly label = 'things';

  @SetMetadata('needs-header', 'x-above')
  @AroundHandler(inner)
  @UseGuards(HeaderGuard)
  @Post(':id')
  create(@Param('id') id: string, @Body() body: unknown) {
    calls.push(`handler ${id} ${JSON.stringify(body)}`);
    return { id, body };
  }

  @Get(':id')
  read(@Param('id') id: string) {
    if (id === 'refused') throw new UnprocessableEntityException({ code: 'THING_REFUSED', message: 'refused' });
    return { id, arguments: arguments.length };
  }

  @Get(':id/number')
  number(@Param('id', ParseIntPipe) id: number) {
    return { id };
  }

  /** Not a route: left as it is. */
  helper(id: string) {
    return { helped: id };
  }
}

@Module({ controllers: [ThingsController], providers: [HeaderGuard] })
class ThingsModule {}

describe(AroundHandler.name, () => {
  let app: INestApplication;

  beforeAll(async () => {
    app = await NestFactory.create(ThingsModule, new FastifyAdapter(), { logger: false });
    await app.init();
    await (app.getHttpAdapter().getInstance() as { ready(): Promise<unknown> }).ready();
  });

  afterAll(() => app.close());

  beforeEach(() => (calls.length = 0));

  it('runs around the handler with the request, class outside method, and answers what the wrapper returns', async () => {
    const response = await request(app.getHttpServer()).post('/things/7').set('x-above', 'yes').send({ a: 1 }).expect(201);

    expect(response.body).toEqual({ class: { method: { id: '7', body: { a: 1 } } } });
    expect(calls).toEqual([
      'guard x-above',
      'class in POST /things/7 on things',
      'method in POST /things/7 on things',
      'handler 7 {"a":1}',
      'method out',
      'class out',
    ]);
  });

  it('keeps what the decorators around it put on the handler: a guard below it, metadata above it', async () => {
    await request(app.getHttpServer()).post('/things/7').send({ a: 1 }).expect(403);

    expect(calls).toEqual(['guard x-above']);
  });

  it('gives the handler only its own arguments', async () => {
    const response = await request(app.getHttpServer()).get('/things/8').expect(200);

    expect(response.body).toEqual({ class: { id: '8', arguments: 1 } });
  });

  it('lets the handler`s refusal through as it is', async () => {
    const response = await request(app.getHttpServer()).get('/things/refused').expect(422);

    expect(response.body).toMatchObject({ code: 'THING_REFUSED' });
    expect(calls).toEqual(['class in GET /things/refused on things']);
  });

  it('runs after the pipes: a request they refuse never reaches the wrapper', async () => {
    await request(app.getHttpServer()).get('/things/x/number').expect(400);
    expect(calls).toEqual([]);

    await request(app.getHttpServer())
      .get('/things/12/number')
      .expect(200, { class: { id: 12 } });
    expect(calls).toEqual(['class in GET /things/12/number on things', 'class out']);
  });

  it('wraps routes only, and a route called as a plain method gets no request', async () => {
    const controller = app.get(ThingsController);

    expect(controller.helper('9')).toEqual({ helped: '9' });
    expect(handlerWrappersOf(ThingsController.prototype.helper)).toEqual([]);
    expect(handlerWrappersOf(ThingsController.prototype.read)).toEqual([outer]);
    expect(handlerWrappersOf(ThingsController.prototype.create)).toEqual([outer, inner]);
    await expect(controller.read('9')).resolves.toEqual({ class: { id: '9', arguments: 1 } });
    expect(calls).toEqual(['class in no request on things', 'class out']);
  });
});
