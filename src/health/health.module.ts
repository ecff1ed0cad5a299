import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { OrganizationModule } from '../organization/organization.module';
import { HealthController } from './health.controller';
import { ReconcilerHealthIndicator } from './reconciler.health';

@Module({
  imports: [TerminusModule.forRoot({ logger: false }), OrganizationModule],
  controllers: [HealthController],
  providers: [ReconcilerHealthIndicator],
})
export class HealthModule {}
