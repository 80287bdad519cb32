import { Refusal } from './refusal';

class SampleError extends Refusal {}

describe('Refusal', () => {
  it('puts the article first in the details and keeps the subclass name for logs', () => {
    const error = new SampleError('LATE', '已过期限', 'refused', { article: '第六十四条', details: { days: 3 } });
    expect(error.name).toBe('SampleError');
    expect(error).toBeInstanceOf(Refusal);
    expect(Object.keys(error.details ?? {})).toEqual(['article', 'days']);
    expect(error.details).toEqual({ article: '第六十四条', days: 3 });
  });

  it('defaults to a refusal by rule, with no details unless given', () => {
    const error = new Refusal('NO', '不可');
    expect(error.kind).toBe('refused');
    expect(error.details).toBeUndefined();
    expect(error.problems).toBeUndefined();
  });
});
