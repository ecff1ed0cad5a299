import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { ValidatedEnvironment } from '../../config/environment';
import type { FailurePoint } from './failure-point-names';

/**
 * Crash injection for the recovery tests. Off unless FAILURE_POINTS names a point, which
 * the environment allows only when NODE_ENV=test. A reached point kills the process at
 * once, with no shutdown hooks, as a power cut would.
 */
@Injectable()
export class FailurePoints {
  private readonly armed: ReadonlySet<string>;

  constructor(config: ConfigService<ValidatedEnvironment, true>) {
    this.armed = new Set(config.get('FAILURE_POINTS', { infer: true }));
  }

  reach(point: FailurePoint): void {
    if (!this.armed.has(point)) return;
    new Logger(FailurePoints.name).warn(`Failure point ${point} reached: killing the process`);
    process.kill(process.pid, 'SIGKILL');
  }
}
