import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { AuthModule } from '../auth/auth.module';
import { TenantModule } from '../tenant/tenant.module';
import { FailurePoints } from './lifecycle/failure-points';
import { OrganizationLifecycle } from './lifecycle/organization-lifecycle.service';
import { OrganizationReconciler } from './lifecycle/organization-reconciler.service';
import { NameClaimRepository } from './name-claim.repository';
import { OrganizationController } from './organization.controller';
import { OrganizationRepository } from './organization.repository';
import { OrganizationService } from './organization.service';
import { OperationLockRepository } from './operation-lock.repository';
import { NameClaim, NameClaimSchema } from './schemas/name-claim.schema';
import { OperationLock, OperationLockSchema } from './schemas/operation-lock.schema';
import { Organization, OrganizationSchema } from './schemas/organization.schema';

@Module({
  imports: [
    MongooseModule.forFeature([
      { name: Organization.name, schema: OrganizationSchema },
      { name: NameClaim.name, schema: NameClaimSchema },
      { name: OperationLock.name, schema: OperationLockSchema },
    ]),
    AuthModule,
    TenantModule,
  ],
  controllers: [OrganizationController],
  providers: [
    FailurePoints,
    NameClaimRepository,
    OperationLockRepository,
    OrganizationLifecycle,
    OrganizationReconciler,
    OrganizationRepository,
    OrganizationService,
  ],
  exports: [OrganizationReconciler],
})
export class OrganizationModule {}
