import { IsOrganizationName } from '../organization-name';

export class GetOrganizationQuery {
  @IsOrganizationName('organization_name')
  organization_name: string;
}
