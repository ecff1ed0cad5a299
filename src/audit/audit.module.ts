import { Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { AuditDataModule } from './audit-data.module';
import { AuditController } from './audit.controller';
import { RequestOriginInterceptor } from './request-context';

@Module({
  imports: [AuditDataModule],
  controllers: [AuditController],
  providers: [{ provide: APP_INTERCEPTOR, useClass: RequestOriginInterceptor }],
})
export class AuditModule {}
