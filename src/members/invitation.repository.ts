import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, trusted, Types } from 'mongoose';
import { isMongoError, MongoErrorCode } from '../common/mongo-errors';
import { Invitation } from './schemas/invitation.schema';
import { InvitationOutcome, InvitationOutcomeKind } from './schemas/invitation-outcome.schema';

export type NewInvitation = Omit<Invitation, 'createdAt'>;

/** The `invitations` and `invitation_outcomes` collections of the master database. */
@Injectable()
export class InvitationRepository implements OnModuleInit {
  constructor(
    @InjectModel(Invitation.name) private readonly invitations: Model<Invitation>,
    @InjectModel(InvitationOutcome.name) private readonly outcomes: Model<InvitationOutcome>,
  ) {}

  async onModuleInit(): Promise<void> {
    await Promise.all([this.invitations.createIndexes(), this.outcomes.createIndexes()]);
  }

  async insert(invitation: NewInvitation): Promise<Invitation> {
    return (await this.invitations.create(invitation)).toObject();
  }

  findById(id: Types.ObjectId): Promise<Invitation | null> {
    return this.invitations.findById(id).lean<Invitation>().exec();
  }

  /** The organization's invitations that have neither expired nor ended, oldest first. */
  async listPending(organizationId: Types.ObjectId, now: Date): Promise<Invitation[]> {
    const open = await this.invitations
      .find({ organizationId, expiresAt: trusted({ $gt: now }) })
      .sort({ createdAt: 1, _id: 1 })
      .lean<Invitation[]>()
      .exec();
    const ended = await this.outcomes
      .find({ _id: trusted({ $in: open.map((invitation) => invitation._id) }) }, { _id: 1 })
      .lean<Pick<InvitationOutcome, '_id'>[]>()
      .exec();
    const endedIds = new Set(ended.map((outcome) => outcome._id.toString()));
    return open.filter((invitation) => !endedIds.has(invitation._id.toString()));
  }

  async hasEnded(id: Types.ObjectId): Promise<boolean> {
    return (await this.outcomes.exists({ _id: id }).exec()) !== null;
  }

  /** Ends the invitation; false when it had already ended (used or revoked). */
  async end(
    invitation: Pick<Invitation, '_id' | 'organizationId'>,
    outcome: InvitationOutcomeKind,
    adminId: Types.ObjectId,
  ): Promise<boolean> {
    try {
      await this.outcomes.create({
        _id: invitation._id,
        organizationId: invitation.organizationId,
        outcome,
        adminId,
      });
      return true;
    } catch (error) {
      if (isMongoError(error, MongoErrorCode.DuplicateKey)) return false;
      throw error;
    }
  }

  /** Undoes `end` by the same admin, when the acceptance it started failed. */
  async reopen(id: Types.ObjectId, adminId: Types.ObjectId): Promise<void> {
    await this.outcomes.deleteOne({ _id: id, adminId }).exec();
  }

  async deleteByOrganization(organizationId: Types.ObjectId): Promise<void> {
    await this.invitations.deleteMany({ organizationId }).exec();
    await this.outcomes.deleteMany({ organizationId }).exec();
  }
}
