import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { AuditDataModule } from '../audit/audit-data.module';
import { TenantModule } from '../tenant/tenant.module';
import { BulkWriteAdmission } from './bulk-write-admission';
import { RecordsController } from './records.controller';
import { RecordLocks } from './record-locks.repository';
import { RecordsService } from './records.service';
import { RecordLock, RecordLockSchema } from './schemas/record-lock.schema';

@Module({
  imports: [
    AuditDataModule,
    TenantModule,
    MongooseModule.forFeature([{ name: RecordLock.name, schema: RecordLockSchema }]),
  ],
  controllers: [RecordsController],
  providers: [RecordsService, BulkWriteAdmission, RecordLocks],
})
export class RecordsModule {}
