import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { ValidatedEnvironment } from '../../config/environment';

/** Every gap between two steps of a lifecycle operation, where a crash can strike. */
export const FAILURE_POINTS = [
  'create:after-claim',
  'create:after-record',
  'create:after-email-claim',
  'create:after-admin',
  'create:after-collection',
  'rename:after-claim',
  'rename:after-mark',
  'rename:after-collection',
  'rename:after-record',
  'delete:after-mark',
  'delete:after-drop',
  'delete:after-admins',
  'delete:after-email-claims',
  'delete:after-record',
  'email:after-claim',
  'email:after-switch',
  'move:after-pending',
  'move:after-copy',
  'move:after-mark',
  'move:after-catch-up',
  'move:after-switch',
  'move:after-drop',
] as const;

export type FailurePoint = (typeof FAILURE_POINTS)[number];

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
