import { Global, Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { TenantDirectory } from '../tenant/tenant-directory';
import { NameClaimRepository } from './name-claim.repository';
import { OperationLockRepository } from './operation-lock.repository';
import { OrganizationDirectory } from './organization-directory';
import { OrganizationLocks } from './organization-locks';
import { OrganizationRepository } from './organization.repository';
import { RetiredLocationRepository } from './retired-location.repository';
import { NameClaim, NameClaimSchema } from './schemas/name-claim.schema';
import { OperationLock, OperationLockSchema } from './schemas/operation-lock.schema';
import { Organization, OrganizationSchema } from './schemas/organization.schema';
import { RetiredLocation, RetiredLocationSchema } from './schemas/retired-location.schema';
import { TenantMove, TenantMoveSchema } from './schemas/tenant-move.schema';
import { TenantMoveRepository } from './tenant-move.repository';

/**
 * The master records of organizations, apart from the services that change them. Global,
 * so that the tenant module gets its TenantDirectory without importing organization code.
 */
const SHARED = [
  OrganizationRepository,
  NameClaimRepository,
  OperationLockRepository,
  OrganizationLocks,
  RetiredLocationRepository,
  TenantMoveRepository,
];

@Global()
@Module({
  imports: [
    MongooseModule.forFeature([
      { name: Organization.name, schema: OrganizationSchema },
      { name: NameClaim.name, schema: NameClaimSchema },
      { name: OperationLock.name, schema: OperationLockSchema },
      { name: RetiredLocation.name, schema: RetiredLocationSchema },
      { name: TenantMove.name, schema: TenantMoveSchema },
    ]),
  ],
  providers: [...SHARED, { provide: TenantDirectory, useClass: OrganizationDirectory }],
  exports: [...SHARED, TenantDirectory],
})
export class OrganizationDataModule {}
