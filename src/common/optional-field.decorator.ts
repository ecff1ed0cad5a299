import { ValidateIf } from 'class-validator';

/** Like `@IsOptional()`, except that an explicit `null` is validated (and refused) too. */
export const OptionalField = () =>
  ValidateIf((_object: object, value: unknown) => value !== undefined);
