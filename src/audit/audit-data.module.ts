import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { AuditRepository } from './audit.repository';
import { AuditTrail } from './audit-trail.service';
import { AuditEntry, AuditEntrySchema } from './schemas/audit-entry.schema';

/** The audit trail, apart from its route: every module that makes changes records them. */
@Module({
  imports: [MongooseModule.forFeature([{ name: AuditEntry.name, schema: AuditEntrySchema }])],
  providers: [AuditRepository, AuditTrail],
  exports: [AuditRepository, AuditTrail],
})
export class AuditDataModule {}
