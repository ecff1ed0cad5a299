import { applyDecorators } from '@nestjs/common';
import { ApiProperty, type ApiPropertyOptions } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  IsByteLength,
  IsDefined,
  IsEmail,
  IsNotEmpty,
  IsString,
  MaxLength,
  MinLength,
} from 'class-validator';

export const PASSWORD_MIN_LENGTH = 8;
/** bcrypt reads only the first 72 bytes; longer passwords are refused, never truncated. */
export const PASSWORD_MAX_BYTES = 72;
const EMAIL_MAX_LENGTH = 254;

const trimAndLowercase = ({ value }: { value: unknown }) =>
  typeof value === 'string' ? value.trim().toLowerCase() : value;

/** An admin email: validated, trimmed and stored lowercase. */
export const IsAdminEmail = (options: ApiPropertyOptions = {}) =>
  applyDecorators(
    ApiProperty({
      format: 'email',
      maxLength: EMAIL_MAX_LENGTH,
      example: 'admin@acme.example',
      ...options,
    }),
    Transform(trimAndLowercase),
    IsDefined({ message: 'email is required' }),
    IsEmail({}, { message: 'email must be a valid email address' }),
    MaxLength(EMAIL_MAX_LENGTH, {
      message: `email must be at most ${EMAIL_MAX_LENGTH} characters`,
    }),
  );

/** A password being set: long enough, and short enough for bcrypt to read all of it. */
export const IsNewPassword = (options: ApiPropertyOptions = {}) =>
  applyDecorators(
    ApiProperty({
      format: 'password',
      minLength: PASSWORD_MIN_LENGTH,
      description: `At least ${PASSWORD_MIN_LENGTH} characters and at most ${PASSWORD_MAX_BYTES} bytes in UTF-8.`,
      example: 'correct-horse-battery',
      ...options,
    }),
    IsDefined({ message: 'password is required' }),
    IsString({ message: 'password must be a string' }),
    MinLength(PASSWORD_MIN_LENGTH, {
      message: `password must be at least ${PASSWORD_MIN_LENGTH} characters long`,
    }),
    IsByteLength(0, PASSWORD_MAX_BYTES, {
      message: `password must be at most ${PASSWORD_MAX_BYTES} bytes long (UTF-8)`,
    }),
  );

/** A password being checked at login: any non-empty string bcrypt can read whole. */
export const IsPresentedPassword = () =>
  applyDecorators(
    ApiProperty({ format: 'password', example: 'correct-horse-battery' }),
    IsDefined({ message: 'password is required' }),
    IsString({ message: 'password must be a string' }),
    IsNotEmpty({ message: 'password must not be empty' }),
    IsByteLength(0, PASSWORD_MAX_BYTES, {
      message: `password must be at most ${PASSWORD_MAX_BYTES} bytes long (UTF-8)`,
    }),
  );
