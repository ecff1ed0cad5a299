import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, Types } from 'mongoose';
import { createdBetween } from '../common/created-between';
import { EmailClaim } from './schemas/email-claim.schema';

/** The `admin_emails` collection: which admin holds which email. */
@Injectable()
export class EmailClaimRepository implements OnModuleInit {
  constructor(@InjectModel(EmailClaim.name) private readonly claims: Model<EmailClaim>) {}

  async onModuleInit(): Promise<void> {
    await this.claims.createIndexes();
  }

  /** The admin holding the email, by one `_id` read; null when it is free. */
  async holderOf(email: string): Promise<Types.ObjectId | null> {
    const claim = await this.claims.findById(email).lean<EmailClaim>().exec();
    return claim?.adminId ?? null;
  }

  /** Throws a duplicate-key error when the email is held by anyone. */
  async claim(email: string, adminId: Types.ObjectId, organizationId: Types.ObjectId) {
    await this.claims.create({ _id: email, adminId, organizationId });
  }

  /** Only the holder's claim is removed, so a late release never frees someone else's email. */
  async release(email: string, adminId: Types.ObjectId): Promise<void> {
    await this.claims.deleteOne({ _id: email, adminId }).exec();
  }

  async releaseByOrganization(organizationId: Types.ObjectId): Promise<void> {
    await this.claims.deleteMany({ organizationId }).exec();
  }

  /** Claims created before `cutoff`, and not before `since` when it is given. */
  findCreatedBetween(since: Date | undefined, cutoff: Date): Promise<EmailClaim[]> {
    return this.claims.find(createdBetween(since, cutoff)).lean<EmailClaim[]>().exec();
  }

  /** Every claimed email. */
  async allEmails(): Promise<Set<string>> {
    const claims = await this.claims.find({}, { _id: 1 }).lean<Pick<EmailClaim, '_id'>[]>().exec();
    return new Set(claims.map((claim) => claim._id));
  }
}
