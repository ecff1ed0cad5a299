import { Module } from '@nestjs/common';
import { AuditDataModule } from '../audit/audit-data.module';
import { AuthModule } from '../auth/auth.module';
import { MemberDataModule } from '../members/member-data.module';
import { TenantModule } from '../tenant/tenant.module';
import { FailurePoints } from './lifecycle/failure-points';
import { OrganizationLifecycle } from './lifecycle/organization-lifecycle.service';
import { OrganizationReconciler } from './lifecycle/organization-reconciler.service';
import { TenantMover } from './lifecycle/tenant-mover.service';
import { OrganizationController } from './organization.controller';
import { OrganizationDataModule } from './organization-data.module';
import { OrganizationService } from './organization.service';

@Module({
  imports: [OrganizationDataModule, AuditDataModule, AuthModule, MemberDataModule, TenantModule],
  controllers: [OrganizationController],
  providers: [
    FailurePoints,
    OrganizationLifecycle,
    OrganizationReconciler,
    OrganizationService,
    TenantMover,
  ],
  exports: [OrganizationReconciler, TenantMover],
})
export class OrganizationModule {}
