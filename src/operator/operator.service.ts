import { Injectable, NotFoundException } from '@nestjs/common';
import { Types } from 'mongoose';
import type { CursorPageQuery } from '../common/cursor-page.query';
import { isDatabaseUnavailable } from '../common/database-unavailable';
import { TenantMover } from '../organization/lifecycle/tenant-mover.service';
import { OrganizationRepository } from '../organization/organization.repository';
import type { Organization } from '../organization/schemas/organization.schema';
import { Placement } from '../tenant/placement';
import { TenantCollections } from '../tenant/tenant-collections.service';
import type { MoveOrganizationDto, MoveStartedDto, MoveStatusDto } from './dto/move.dto';
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
    private readonly mover: TenantMover,
  ) {}

  async move(organizationId: string, { placement }: MoveOrganizationDto): Promise<MoveStartedDto> {
    const moveId = await this.mover.start(new Types.ObjectId(organizationId), placement);
    return { move_id: moveId.toString() };
  }

  async findMove(moveId: string): Promise<MoveStatusDto> {
    const move = await this.mover.findMove(new Types.ObjectId(moveId));
    if (!move) throw new NotFoundException(`Move ${moveId} was not found`);
    return {
      state: move.state,
      copied: move.copied,
      total: move.total,
      ...(move.error ? { error: move.error } : {}),
    };
  }

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
