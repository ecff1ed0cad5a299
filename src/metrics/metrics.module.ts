import { Global, Module } from '@nestjs/common';
import { PrometheusModule } from '@willsoto/nestjs-prometheus';
import { HttpMetrics } from './http-metrics';
import { METRIC_PROVIDERS } from './metric-definitions';
import { MetricsController } from './metrics.controller';

/**
 * `GET /metrics` (Prometheus text format, behind METRICS_TOKEN) and the service's own
 * metrics, global so that any module can `@InjectMetric()` one of them.
 */
@Global()
@Module({
  imports: [PrometheusModule.register({ controller: MetricsController })],
  providers: [...METRIC_PROVIDERS, HttpMetrics],
  exports: [...METRIC_PROVIDERS, HttpMetrics],
})
export class MetricsModule {}
