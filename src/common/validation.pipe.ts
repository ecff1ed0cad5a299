import { BadRequestException, ValidationError, ValidationPipe } from '@nestjs/common';

/**
 * The one pipe every request body and query goes through: unknown properties are refused,
 * values are converted to their DTO types, and all problems come back in one message.
 */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    stopAtFirstError: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => new BadRequestException(flattenMessages(errors).join('; ')),
  });
}

function flattenMessages(errors: ValidationError[]): string[] {
  return errors.flatMap((error) => [
    ...Object.values(error.constraints ?? {}),
    ...flattenMessages(error.children ?? []),
  ]);
}
