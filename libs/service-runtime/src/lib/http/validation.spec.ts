import { IsString, MaxLength, Validate, ValidatorConstraint, type ValidatorConstraintInterface } from 'class-validator';
import { DomainError } from './api-error';
import { createValidationPipe } from './validation';

let checks = 0;

@ValidatorConstraint({ name: 'counted' })
class Counted implements ValidatorConstraintInterface {
  validate(): boolean {
    checks++;
    return true;
  }
}

class NoteDto {
  @IsString()
  @MaxLength(10)
  @Validate(Counted)
  text!: string;
}

class OtherDto {
  @IsString()
  @Validate(Counted)
  text!: string;
}

describe('createValidationPipe', () => {
  beforeEach(() => (checks = 0));

  it('validates a body object once for a DTO, however many pipes see it (guard, then route)', async () => {
    const body = { text: '询问笔录' };
    const first = await createValidationPipe().transform(body, { type: 'body', metatype: NoteDto });
    const second = await createValidationPipe().transform(body, { type: 'body', metatype: NoteDto });

    expect(first).toBeInstanceOf(NoteDto);
    expect(second).toBe(first);
    expect(checks).toBe(1);
  });

  it('validates again for another DTO, and an equal but other body object in full', async () => {
    const pipe = createValidationPipe();
    const body = { text: '询问笔录' };
    await pipe.transform(body, { type: 'body', metatype: NoteDto });

    await expect(pipe.transform(body, { type: 'body', metatype: OtherDto })).resolves.toBeInstanceOf(OtherDto);
    await pipe.transform({ text: '询问笔录' }, { type: 'body', metatype: NoteDto });
    expect(checks).toBe(3);
  });

  it('refuses an invalid body every time it is offered, never remembering it as valid', async () => {
    const pipe = createValidationPipe();
    const body = { text: '这段文字超过了十个字的上限啊' };

    for (let attempt = 0; attempt < 2; attempt++) {
      await expect(pipe.transform(body, { type: 'body', metatype: NoteDto })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    }
    await expect(pipe.transform(body, { type: 'body', metatype: NoteDto })).rejects.toBeInstanceOf(DomainError);
  });
});
