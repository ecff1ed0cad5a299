import { Module } from '@nestjs/common';
import { TenantModule } from '../tenant/tenant.module';
import { BulkWriteAdmission } from './bulk-write-admission';
import { RecordsController } from './records.controller';
import { RecordsService } from './records.service';

@Module({
  imports: [TenantModule],
  controllers: [RecordsController],
  providers: [RecordsService, BulkWriteAdmission],
})
export class RecordsModule {}
