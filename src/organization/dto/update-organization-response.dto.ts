import { IntersectionType, PartialType } from '@nestjs/swagger';
import { TokenPairDto } from '../../auth/dto/token-pair.dto';
import { OrganizationResponseDto } from './organization-response.dto';

/**
 * The organization after an update. When the password really changed, every earlier token
 * is revoked, every session ended, and a new session's tokens come with the answer.
 */
export class UpdateOrganizationResponseDto extends IntersectionType(
  OrganizationResponseDto,
  PartialType(TokenPairDto),
) {}
