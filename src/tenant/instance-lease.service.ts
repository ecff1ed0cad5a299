import {
  Injectable,
  Logger,
  OnModuleDestroy,
  OnModuleInit,
  ServiceUnavailableException,
} from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, trusted, Types } from 'mongoose';
import { ServiceInstance } from './schemas/service-instance.schema';

/** How long a renewal keeps an instance alive in the eyes of the others. */
const LEASE_MS = 10_000;
const RENEW_EVERY_MS = 1_000;
/** An instance stops writing this long before the others may take it for dead: clock skew. */
const SKEW_MARGIN_MS = 3_000;

/**
 * This instance's lease in the master database. Other instances wait for a live
 * instance's tenant writes to finish, and ignore those of an instance whose lease ran
 * out; so an instance whose own lease lapsed (a long pause, a lost master) must not write
 * again until it has renewed it and registered its writers anew.
 */
@Injectable()
export class InstanceLease implements OnModuleInit, OnModuleDestroy {
  readonly instanceId = new Types.ObjectId();
  private readonly logger = new Logger(InstanceLease.name);
  private validUntil = 0;
  /** Bumped whenever the lease lapses: writers registered under an older epoch are void. */
  private epochValue = 0;
  private timer?: NodeJS.Timeout;
  private renewing?: Promise<void>;

  constructor(
    @InjectModel(ServiceInstance.name) private readonly instances: Model<ServiceInstance>,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.renew();
    this.timer = setInterval(() => void this.renew(), RENEW_EVERY_MS);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.renewing;
    await this.instances.deleteOne({ _id: this.instanceId }).exec();
  }

  get epoch(): number {
    return this.epochValue;
  }

  /**
   * Throws 503 unless the lease is certainly still held by this instance's clock, and,
   * given an epoch, has not lapsed since then.
   */
  assertHeld(epoch = this.epochValue): void {
    if (epoch === this.epochValue && Date.now() < this.validUntil) return;
    throw new ServiceUnavailableException('The service is reconnecting; try again shortly');
  }

  /** The instances among `ids` whose lease has not run out. */
  async liveAmong(ids: Types.ObjectId[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const live = await this.instances
      .find({ _id: trusted({ $in: ids }), expiresAt: trusted({ $gt: new Date() }) }, { _id: 1 })
      .lean<Pick<ServiceInstance, '_id'>[]>()
      .exec();
    return new Set(live.map(({ _id }) => _id.toString()));
  }

  /** Forgets instances whose lease ran out more than a lease ago. */
  async removeExpired(): Promise<void> {
    await this.instances
      .deleteMany({ expiresAt: trusted({ $lt: new Date(Date.now() - LEASE_MS) }) })
      .exec();
  }

  private renew(): Promise<void> {
    this.renewing ??= this.extend().finally(() => {
      this.renewing = undefined;
    });
    return this.renewing;
  }

  private async extend(): Promise<void> {
    const sentAt = Date.now();
    try {
      await this.instances
        .updateOne(
          { _id: this.instanceId },
          { $set: { expiresAt: new Date(sentAt + LEASE_MS) } },
          { upsert: true },
        )
        .exec();
    } catch (error) {
      this.logger.warn({ err: error }, 'Could not renew the instance lease');
      return;
    }
    if (sentAt >= this.validUntil) this.epochValue += 1;
    this.validUntil = sentAt + LEASE_MS - SKEW_MARGIN_MS;
  }
}
