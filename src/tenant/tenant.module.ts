import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { ClusterDataModule } from '../cluster/cluster-data.module';
import { InstanceLease } from './instance-lease.service';
import { ServiceInstance, ServiceInstanceSchema } from './schemas/service-instance.schema';
import { TenantWriter, TenantWriterSchema } from './schemas/tenant-writer.schema';
import { TenantClients } from './tenant-clients.service';
import { TenantCollections } from './tenant-collections.service';
import { TenantDataCopier } from './tenant-data-copier.service';
import { TenantConnectionService } from './tenant-connection.service';
import { TenantWriteGate } from './tenant-write-gate.service';
import { TenantWritersRepository } from './tenant-writers.repository';

/**
 * Tenant collections: reads bound per request (TenantConnectionService), writes behind
 * the barrier that renames and deletes wait for (TenantWriteGate), and the lifecycle's
 * collection steps (TenantCollections). It knows organizations only through the
 * TenantDirectory interface, which the organization side provides (globally, from
 * OrganizationDataModule); nothing here imports organization code.
 */
@Module({
  imports: [
    ClusterDataModule,
    MongooseModule.forFeature([
      { name: ServiceInstance.name, schema: ServiceInstanceSchema },
      { name: TenantWriter.name, schema: TenantWriterSchema },
    ]),
  ],
  providers: [
    InstanceLease,
    TenantWritersRepository,
    TenantClients,
    TenantCollections,
    TenantWriteGate,
    TenantConnectionService,
    TenantDataCopier,
  ],
  exports: [
    TenantClients,
    TenantCollections,
    TenantWriteGate,
    TenantConnectionService,
    TenantDataCopier,
  ],
})
export class TenantModule {}
