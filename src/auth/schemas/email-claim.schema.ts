import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Types } from 'mongoose';

/**
 * One document per admin email in use or being taken, keyed by the email (the stored,
 * lowercase form). Taking an email is an insert, atomic on MongoDB and FerretDB alike, and
 * a login finds its admin by two `_id` reads, which FerretDB's SQLite handler answers
 * without scanning. An email change holds both emails until it is finished.
 */
@Schema({ collection: 'admin_emails', versionKey: false, timestamps: { updatedAt: false } })
export class EmailClaim {
  @Prop({ type: String, required: true })
  _id: string;

  @Prop({ required: true, index: true })
  adminId: Types.ObjectId;

  @Prop({ required: true, index: true })
  organizationId: Types.ObjectId;

  createdAt: Date;
}

export const EmailClaimSchema = SchemaFactory.createForClass(EmailClaim);
/** The reconciler reads the claims that came of age since its last pass. */
EmailClaimSchema.index({ createdAt: 1 });
