import { Controller, Get, Res, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { PrometheusController } from '@willsoto/nestjs-prometheus';
import type { Response } from 'express';
import { OwnCredentials } from '../auth/decorators/public.decorator';
import { MetricsTokenGuard } from './metrics-token.guard';

/** Prometheus's text format; open to the metrics token, not to admins' tokens. */
@ApiExcludeController()
@Controller()
@OwnCredentials()
@UseGuards(MetricsTokenGuard)
export class MetricsController extends PrometheusController {
  @Get()
  override index(@Res({ passthrough: true }) response: Response): Promise<string> {
    return super.index(response);
  }
}
