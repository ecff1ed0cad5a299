import { Module } from '@nestjs/common';
import { TenantModule } from '../tenant/tenant.module';
import { RecordsController } from './records.controller';
import { RecordsService } from './records.service';

@Module({
  imports: [TenantModule],
  controllers: [RecordsController],
  providers: [RecordsService],
})
export class RecordsModule {}
