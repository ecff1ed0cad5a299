import { OptionalField } from '../../common/optional-field.decorator';
import { IsOrganizationName } from '../organization-name';

/** Optional confirmation: when given, it must name the caller's own organization. */
export class DeleteOrganizationDto {
  @IsOrganizationName('organization_name', { required: false })
  @OptionalField()
  organization_name?: string;
}
