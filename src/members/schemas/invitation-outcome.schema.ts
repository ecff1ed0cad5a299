import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Types } from 'mongoose';

export enum InvitationOutcomeKind {
  Accepted = 'accepted',
  Revoked = 'revoked',
}

/**
 * How an invitation ended, keyed by the invitation's id: ending one is an insert, so of two
 * concurrent acceptances (or an acceptance and a revocation) exactly one wins, on FerretDB
 * too, whose conditional updates are not isolated.
 */
@Schema({ collection: 'invitation_outcomes', versionKey: false, timestamps: { updatedAt: false } })
export class InvitationOutcome {
  _id: Types.ObjectId;

  @Prop({ required: true, index: true })
  organizationId: Types.ObjectId;

  @Prop({ type: String, enum: InvitationOutcomeKind, required: true })
  outcome: InvitationOutcomeKind;

  /** Who accepted or revoked it. */
  @Prop({ required: true })
  adminId: Types.ObjectId;

  createdAt: Date;
}

export const InvitationOutcomeSchema = SchemaFactory.createForClass(InvitationOutcome);
