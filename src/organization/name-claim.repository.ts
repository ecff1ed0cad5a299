import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, Types } from 'mongoose';
import { createdBetween } from '../common/created-between';
import { NameClaim } from './schemas/name-claim.schema';

/** The `organization_names` collection: who holds which organization name. */
@Injectable()
export class NameClaimRepository implements OnModuleInit {
  constructor(@InjectModel(NameClaim.name) private readonly claims: Model<NameClaim>) {}

  async onModuleInit(): Promise<void> {
    await this.claims.createIndexes();
  }

  /** Throws a duplicate-key error when the name is held by anyone. */
  async claim(name: string, organizationId: Types.ObjectId): Promise<void> {
    await this.claims.create({ _id: name, organizationId });
  }

  /** Only the holder's claim is removed, so a late release never frees someone else's name. */
  async release(name: string, organizationId: Types.ObjectId): Promise<void> {
    await this.claims.deleteOne({ _id: name, organizationId }).exec();
  }

  /** The organization holding the name, by one `_id` read; null when it is free. */
  async holderOf(name: string): Promise<Types.ObjectId | null> {
    const claim = await this.claims.findById(name).lean<NameClaim>().exec();
    return claim?.organizationId ?? null;
  }

  /** Claims created before `cutoff`, and not before `since` when it is given. */
  findCreatedBetween(since: Date | undefined, cutoff: Date): Promise<NameClaim[]> {
    return this.claims.find(createdBetween(since, cutoff)).lean<NameClaim[]>().exec();
  }
}
