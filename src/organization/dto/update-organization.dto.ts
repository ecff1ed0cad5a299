import { OptionalField } from '../../common/optional-field.decorator';
import { IsAdminEmail, IsNewPassword } from '../../auth/dto/credential.decorators';
import { IsOrganizationName } from '../organization-name';

/**
 * Changes the caller's organization. `organization_name` is its new name, unless
 * `new_organization_name` is sent too: then `organization_name` names the current
 * organization (and must be the caller's) and `new_organization_name` is the new name.
 */
export class UpdateOrganizationDto {
  @IsOrganizationName('organization_name', {
    required: false,
    description:
      'The new name; or, together with new_organization_name, the current name. ' +
      'Case-insensitive; stored lowercase.',
  })
  @OptionalField()
  organization_name?: string;

  @IsOrganizationName('new_organization_name', { required: false, example: 'acme-labs' })
  @OptionalField()
  new_organization_name?: string;

  @IsAdminEmail({ required: false, description: 'The admin’s new email.' })
  @OptionalField()
  email?: string;

  @IsNewPassword({
    required: false,
    description:
      'The admin’s password. The current one changes nothing; a new one revokes earlier ' +
      'tokens, and the answer carries a fresh one.',
  })
  @OptionalField()
  password?: string;
}
