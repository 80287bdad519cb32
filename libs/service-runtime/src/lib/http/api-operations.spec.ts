import { Body, Controller, Delete, Get, HttpCode, Module, Param, Post, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { ApiBearerAuth, ApiOperation, ApiProperty, DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import type { OperationObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { IsString } from 'class-validator';
import { ApiErrors, completeOperations } from './api-operations';

class NoteDto {
  @ApiProperty()
  @IsString()
  text: string;
}

@ApiBearerAuth()
@Controller('notes')
class NotesController {
  @ApiOperation({ summary: 'Add a note' })
  @ApiErrors(409, { status: 422, codes: ['NOTE_REFUSED', 'NOTE_TOO_RUDE'] })
  @Post()
  add(@Body() note: NoteDto) {
    return note;
  }

  @ApiOperation({ summary: 'Remove a note' })
  @ApiErrors(409)
  @Delete(':id')
  @HttpCode(204)
  remove(@Param('id') id: string) {
    return id;
  }
}

@Controller('public')
class PublicController {
  @ApiOperation({ summary: 'Read the public page' })
  @Get()
  read() {
    return {};
  }
}

@Module({ controllers: [NotesController, PublicController] })
class NotesModule {}

describe('the OpenAPI document completed for clients', () => {
  let app: INestApplication;
  let document: OpenAPIObject;
  const operation = (path: string, method: 'get' | 'post' | 'delete') => document.paths[path][method] as OperationObject;
  const ERROR = { 'application/json': { schema: { $ref: '#/components/schemas/ApiError' } } };

  beforeAll(async () => {
    app = await NestFactory.create(NotesModule, new FastifyAdapter(), { logger: false });
    await app.init();
    await (app.getHttpAdapter().getInstance() as { ready(): Promise<unknown> }).ready();
    document = completeOperations(SwaggerModule.createDocument(app, new DocumentBuilder().addBearerAuth().build()));
  });

  afterAll(() => app?.close());

  it('documents the refusals a controller names, with their codes and the error schema, and keeps the success response', () => {
    const add = operation('/notes', 'post');
    expect(add.responses['422']).toEqual({ description: expect.stringContaining('NOTE_REFUSED, NOTE_TOO_RUDE'), content: ERROR });
    expect(add.responses['409']).toMatchObject({ content: ERROR });
    // Documenting a refusal must not lose what the operation answers when it succeeds (its @HttpCode included).
    expect(add.responses['201']).toBeDefined();
    expect(Object.keys(operation('/notes/{id}', 'delete').responses)).toContain('204');
    expect(Object.keys(operation('/notes/{id}', 'delete').responses)).not.toContain('200');
  });

  it('adds what every operation can answer: malformed or too large input, an unknown resource, no or a bad token, a database down', () => {
    expect(Object.keys(operation('/notes', 'post').responses).sort()).toEqual(
      ['201', '400', '401', '403', '409', '413', '422', '429', '503'].sort(),
    );
    expect(Object.keys(operation('/notes/{id}', 'delete').responses)).toEqual(expect.arrayContaining(['400', '404', '401']));
    expect(Object.keys(operation('/public', 'get').responses).sort()).toEqual(['200', '503']);
    for (const [status, response] of Object.entries(operation('/notes/{id}', 'delete').responses)) {
      if (Number(status) >= 400) expect(response).toMatchObject({ content: ERROR });
    }
    expect(document.components?.schemas?.['ApiError']).toMatchObject({ required: ['code', 'message'] });
  });

  it('marks an operation that needs no token as public, and keeps the bearer scheme on the others', () => {
    expect(operation('/public', 'get').security).toEqual([]);
    expect(operation('/notes', 'post').security).toEqual([{ bearer: [] }]);
  });
});
