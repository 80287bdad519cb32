import { ArgumentsHost, ConflictException } from '@nestjs/common';
import { ApiErrorFilter } from './api-error.filter';

function answer(exception: unknown): { status: number; body: unknown } {
  const sent = { status: 0, body: undefined as unknown };
  const response = {
    status: (status: number) => {
      sent.status = status;
      return response;
    },
    type: () => response,
    send: (body: unknown) => {
      sent.body = body;
      return response;
    },
  };
  const host = { getType: () => 'http', switchToHttp: () => ({ getResponse: () => response }) } as unknown as ArgumentsHost;
  const sut = new ApiErrorFilter();
  Object.assign(sut, { logger: { warn: () => undefined, error: () => undefined } });
  sut.catch(exception, host);
  return sent;
}

describe(ApiErrorFilter.name, () => {
  it('answers 503 DATABASE_UNAVAILABLE when the database cannot be reached, not 500', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:3306'), { code: 'ECONNREFUSED' });
    const lost = Object.assign(new Error('Query failed'), { driverError: { code: 'PROTOCOL_CONNECTION_LOST' } });

    for (const exception of [refused, lost]) {
      expect(answer(exception)).toEqual({ status: 503, body: { code: 'DATABASE_UNAVAILABLE', message: '数据库暂不可用，请稍后再试' } });
    }
  });

  it('keeps 500 for other unexpected errors, without their details', () => {
    expect(answer(new TypeError('x is undefined'))).toEqual({ status: 500, body: { code: 'INTERNAL_ERROR', message: expect.any(String) } });
  });

  it('passes HTTP refusals through in the platform format', () => {
    expect(answer(new ConflictException())).toEqual({ status: 409, body: { code: 'CONFLICT', message: expect.any(String) } });
  });
});
