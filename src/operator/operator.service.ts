import { Injectable } from '@nestjs/common';
import { Types } from 'mongoose';
import type { CursorPageQuery } from '../common/cursor-page.query';
import { isDatabaseUnavailable } from '../common/database-unavailable';
import { OrganizationRepository } from '../organization/organization.repository';
import type { Organization } from '../organization/schemas/organization.schema';
import { Placement } from '../tenant/placement';
import { TenantCollections } from '../tenant/tenant-collections.service';
import type {
  OperatorOrganizationDto,
  OperatorOrganizationPageDto,
} from './dto/operator-organization.dto';

/** What operators see of organizations and do with their placement. */
@Injectable()
export class OperatorService {
  constructor(
    private readonly organizations: OrganizationRepository,
    private readonly collections: TenantCollections,
  ) {}

  async listOrganizations({ limit, after }: CursorPageQuery): Promise<OperatorOrganizationPageDto> {
    const page = await this.organizations.page(
      after ? new Types.ObjectId(after) : undefined,
      limit + 1,
    );
    const items = page.slice(0, limit);
    return {
      items: await Promise.all(items.map((organization) => this.describe(organization))),
      next_cursor: page.length > limit ? items[items.length - 1]._id.toString() : null,
    };
  }

  private async describe(organization: Organization): Promise<OperatorOrganizationDto> {
    return {
      id: organization._id.toString(),
      name: organization.name,
      status: organization.status,
      placement: organization.placement ?? Placement.Shared,
      cluster: organization.location.cluster ?? null,
      records: await this.collections.count(organization.location).catch((error: unknown) => {
        if (isDatabaseUnavailable(error)) return null;
        throw error;
      }),
    };
  }
}
