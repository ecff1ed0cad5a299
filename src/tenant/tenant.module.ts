import { Module } from '@nestjs/common';
import { OrganizationDataModule } from '../organization/organization-data.module';
import { TenantConnectionService } from './tenant-connection.service';

@Module({
  imports: [OrganizationDataModule],
  providers: [TenantConnectionService],
  exports: [TenantConnectionService],
})
export class TenantModule {}
