import { HttpStatus, ValidationPipe, type ArgumentMetadata, type ValidationError } from '@nestjs/common';
import { DomainError } from './api-error';

interface FieldProblem {
  field: string;
  problems: string[];
}

function flatten(errors: ValidationError[], prefix = ''): FieldProblem[] {
  return errors.flatMap((error) => {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    const own = error.constraints ? [{ field, problems: Object.values(error.constraints) }] : [];
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

/**
 * Request bodies already validated, by the body object itself: a guard that must see a valid body before its
 * own check (the certificate guard) validates it first, and the route's pipe then takes that result instead
 * of validating the same object again. Weak, so a finished request's body is not kept.
 */
const validatedBodies = new WeakMap<object, { metatype: unknown; result: unknown }>();

class OnceValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const body = metadata.type === 'body' && value !== null && typeof value === 'object' ? value : undefined;
    const known = body && validatedBodies.get(body);
    if (known && known.metatype === metadata.metatype) return known.result;
    const result: unknown = await super.transform(value, metadata);
    if (body) validatedBodies.set(body, { metatype: metadata.metatype, result });
    return result;
  }
}

/** Validates and transforms every request DTO; unknown fields are refused rather than silently dropped. */
export function createValidationPipe(): ValidationPipe {
  return new OnceValidationPipe({
    transform: true,
    whitelist: true,
    forbidNonWhitelisted: true,
    exceptionFactory: (errors) =>
      new DomainError('VALIDATION_FAILED', '提交的数据不符合要求，请检查后重试', HttpStatus.BAD_REQUEST, flatten(errors)),
  });
}
