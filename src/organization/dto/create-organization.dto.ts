import { IsAdminEmail, IsNewPassword } from '../../auth/dto/credential.decorators';
import { IsOrganizationName } from '../organization-name';

export class CreateOrganizationDto {
  @IsOrganizationName('organization_name')
  organization_name: string;

  @IsAdminEmail({
    description: 'Email of the organization’s first admin; unique across all admins.',
  })
  email: string;

  @IsNewPassword()
  password: string;
}
