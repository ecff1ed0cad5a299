import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, Types } from 'mongoose';
import type { TenantLocation } from '../tenant/tenant-location.schema';
import { RetiredLocation, RetiredLocationFate } from './schemas/retired-location.schema';

const keyOf = (location: TenantLocation) => `${location.database}.${location.collectionName}`;

/** The `retired_locations` collection: tenant collections left behind by renames and deletes. */
@Injectable()
export class RetiredLocationRepository {
  constructor(
    @InjectModel(RetiredLocation.name) private readonly retired: Model<RetiredLocation>,
  ) {}

  /** Idempotent; the latest fate wins, so a name reused and retired again is current. */
  async retire(
    location: TenantLocation,
    organizationId: Types.ObjectId,
    fate: RetiredLocationFate,
  ): Promise<void> {
    await this.retired
      .updateOne({ _id: keyOf(location) }, { $set: { organizationId, fate } }, { upsert: true })
      .exec();
  }

  find(location: TenantLocation): Promise<RetiredLocation | null> {
    return this.retired.findById(keyOf(location)).lean<RetiredLocation>().exec();
  }

  async forget(location: TenantLocation): Promise<void> {
    await this.retired.deleteOne({ _id: keyOf(location) }).exec();
  }
}
