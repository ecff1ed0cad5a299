import { applyDecorators } from '@nestjs/common';
import { ApiProperty, type ApiPropertyOptions } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsDefined, IsString, Matches } from 'class-validator';

export const ORGANIZATION_NAME_RULES =
  'must be 3 to 60 characters of ASCII letters, digits, _ or -, and must not begin with "system"';

/** Lowercase is the stored form; names are unique case-insensitively. */
const ORGANIZATION_NAME = /^(?!system)[a-z0-9_-]{3,60}$/;

const normalize = ({ value }: { value: unknown }) =>
  typeof value === 'string' ? value.trim().toLowerCase() : value;

/**
 * An organization name: trimmed, lowercased, then checked. Tenant collection names are
 * built only from names that passed this check.
 */
export const IsOrganizationName = (property: string, options: ApiPropertyOptions = {}) =>
  applyDecorators(
    ApiProperty({
      example: 'acme',
      minLength: 3,
      maxLength: 60,
      pattern: '^[A-Za-z0-9_-]{3,60}$',
      description: `Case-insensitive; stored lowercase. ${property} ${ORGANIZATION_NAME_RULES}.`,
      ...options,
    }),
    Transform(normalize),
    IsDefined({ message: `${property} is required` }),
    IsString({ message: `${property} must be a string` }),
    Matches(ORGANIZATION_NAME, { message: `${property} ${ORGANIZATION_NAME_RULES}` }),
  );
