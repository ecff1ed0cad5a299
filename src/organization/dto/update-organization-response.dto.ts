import { IntersectionType, PartialType } from '@nestjs/swagger';
import { AccessTokenDto } from '../../auth/dto/access-token.dto';
import { OrganizationResponseDto } from './organization-response.dto';

/**
 * The organization after an update. When the password really changed, every earlier token
 * is revoked and a fresh one comes with the answer, so the caller keeps working.
 */
export class UpdateOrganizationResponseDto extends IntersectionType(
  OrganizationResponseDto,
  PartialType(AccessTokenDto),
) {}
