import { Module } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { AuditModule } from './audit/audit.module';
import { AuthModule } from './auth/auth.module';
import { AllExceptionsFilter } from './common/all-exceptions.filter';
import { createValidationPipe } from './common/validation.pipe';
import { AppConfigModule } from './config/config.module';
import { DatabaseModule } from './database/database.module';
import { HealthModule } from './health/health.module';
import { AppLoggerModule } from './logging.module';
import { MembersModule } from './members/members.module';
import { OperatorModule } from './operator/operator.module';
import { MetricsModule } from './metrics/metrics.module';
import { OrganizationModule } from './organization/organization.module';
import { RecordsModule } from './records/records.module';

@Module({
  imports: [
    AppConfigModule,
    AppLoggerModule,
    MetricsModule,
    DatabaseModule,
    AuthModule,
    AuditModule,
    OrganizationModule,
    MembersModule,
    RecordsModule,
    OperatorModule,
    HealthModule,
  ],
  providers: [
    { provide: APP_PIPE, useFactory: createValidationPipe },
    { provide: APP_FILTER, useClass: AllExceptionsFilter },
  ],
})
export class AppModule {}
