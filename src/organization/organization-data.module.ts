import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { NameClaimRepository } from './name-claim.repository';
import { OperationLockRepository } from './operation-lock.repository';
import { OrganizationRepository } from './organization.repository';
import { NameClaim, NameClaimSchema } from './schemas/name-claim.schema';
import { OperationLock, OperationLockSchema } from './schemas/operation-lock.schema';
import { Organization, OrganizationSchema } from './schemas/organization.schema';

/**
 * The master records of organizations, apart from the services that change them, so the
 * tenant module can read where an organization's data lives without depending on them.
 */
@Module({
  imports: [
    MongooseModule.forFeature([
      { name: Organization.name, schema: OrganizationSchema },
      { name: NameClaim.name, schema: NameClaimSchema },
      { name: OperationLock.name, schema: OperationLockSchema },
    ]),
  ],
  providers: [OrganizationRepository, NameClaimRepository, OperationLockRepository],
  exports: [OrganizationRepository, NameClaimRepository, OperationLockRepository],
})
export class OrganizationDataModule {}
