import { Controller, Get, UseFilters } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, MongooseHealthIndicator } from '@nestjs/terminus';
import { Public } from '../auth/decorators/public.decorator';
import { HealthReportFilter } from './health-report.filter';
import { ReconcilerHealthIndicator } from './reconciler.health';

const PING_TIMEOUT_MS = 1_500;

@ApiTags('health')
@Controller('health')
@UseFilters(HealthReportFilter)
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: MongooseHealthIndicator,
    private readonly reconciler: ReconcilerHealthIndicator,
  ) {}

  @Get('live')
  @Public()
  @HealthCheck()
  @ApiOperation({ summary: 'Liveness: the process is up and serving HTTP' })
  live() {
    return this.health.check([]);
  }

  @Get('ready')
  @Public()
  @HealthCheck()
  @ApiOperation({ summary: 'Readiness: the database answers and the reconciler is keeping up' })
  ready() {
    return this.health.check([
      () => this.database.pingCheck('database', { timeout: PING_TIMEOUT_MS }),
      () => this.reconciler.check('reconciler'),
    ]);
  }
}
