import {
  BadRequestException,
  ConflictException,
  Injectable,
  NotFoundException,
  UnprocessableEntityException,
} from '@nestjs/common';
import { Types } from 'mongoose';
import { probeCluster, ProbeResult } from '../cluster/cluster-probe';
import { hostsOf } from '../cluster/cluster-uri';
import { ClusterRepository } from '../cluster/cluster.repository';
import { DataEncryption } from '../cluster/data-encryption.service';
import type { CursorPageQuery } from '../common/cursor-page.query';
import { isDatabaseUnavailable } from '../common/database-unavailable';
import { TenantMover } from '../organization/lifecycle/tenant-mover.service';
import { OrganizationRepository } from '../organization/organization.repository';
import type { Organization } from '../organization/schemas/organization.schema';
import { Placement } from '../tenant/placement';
import { TenantClients } from '../tenant/tenant-clients.service';
import { TenantCollections } from '../tenant/tenant-collections.service';
import {
  ClusterHealth,
  type ClusterDto,
  type ClusterListDto,
  type RegisterClusterDto,
} from './dto/cluster.dto';
import type { MoveOrganizationDto, MoveStartedDto, MoveStatusDto } from './dto/move.dto';
import type {
  OperatorOrganizationDto,
  OperatorOrganizationPageDto,
} from './dto/operator-organization.dto';

/** What operators see of organizations and clusters, and do with placements. */
@Injectable()
export class OperatorService {
  constructor(
    private readonly organizations: OrganizationRepository,
    private readonly collections: TenantCollections,
    private readonly mover: TenantMover,
    private readonly clusters: ClusterRepository,
    private readonly clients: TenantClients,
    private readonly encryption: DataEncryption,
  ) {}

  async move(
    organizationId: string,
    { placement, cluster }: MoveOrganizationDto,
  ): Promise<MoveStartedDto> {
    if (cluster !== undefined) {
      if (placement !== Placement.Cluster) {
        throw new BadRequestException('cluster is allowed only with the cluster placement');
      }
      if (!(await this.clusters.findByName(cluster))) {
        throw new NotFoundException(`No cluster named ${cluster} is registered`);
      }
    }
    const moveId = await this.mover.start(new Types.ObjectId(organizationId), placement, cluster);
    return { move_id: moveId.toString() };
  }

  /**
   * Stores the cluster with its connection string encrypted, once it answered a ping. No
   * answer ever repeats the connection string or a driver message.
   */
  async registerCluster({ name, uri }: RegisterClusterDto): Promise<ClusterDto> {
    const sealed = this.encryption.seal(uri, name);
    if (await this.clusters.findByName(name)) throw clusterExists(name);
    const probe = await probeCluster(uri);
    if (probe === ProbeResult.Invalid) {
      throw new BadRequestException('uri is not a valid MongoDB connection string');
    }
    if (probe === ProbeResult.Unreachable) {
      throw new UnprocessableEntityException(
        'The cluster did not answer a ping with these credentials; nothing was stored',
      );
    }
    const hosts = hostsOf(uri);
    if (!(await this.clusters.insert({ _id: name, hosts, uri: sealed }))) throw clusterExists(name);
    return { name, hosts, health: ClusterHealth.Up, tenants: 0 };
  }

  async listClusters(): Promise<ClusterListDto> {
    const clusters = await this.clusters.findAll();
    return {
      items: await Promise.all(
        clusters.map(async ({ _id: name, hosts }) => ({
          name,
          hosts,
          health: (await this.clients.isReachable(name)) ? ClusterHealth.Up : ClusterHealth.Down,
          tenants: await this.organizations.countOnCluster(name),
        })),
      ),
    };
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

function clusterExists(name: string): ConflictException {
  return new ConflictException(`A cluster named ${name} is already registered`);
}
