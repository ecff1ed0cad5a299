import { Module } from '@nestjs/common';
import { ClusterDataModule } from '../cluster/cluster-data.module';
import { OrganizationDataModule } from '../organization/organization-data.module';
import { OrganizationModule } from '../organization/organization.module';
import { TenantModule } from '../tenant/tenant.module';
import { OperatorKeyGuard } from './operator-key.guard';
import { OperatorController } from './operator.controller';
import { OperatorService } from './operator.service';

/** `/operator/*`: placement and clusters, for callers holding OPERATOR_API_KEY. */
@Module({
  imports: [ClusterDataModule, OrganizationDataModule, OrganizationModule, TenantModule],
  controllers: [OperatorController],
  providers: [OperatorKeyGuard, OperatorService],
})
export class OperatorModule {}
