import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Types } from 'mongoose';
import { Role } from '../../auth/role';

/**
 * An invitation to join an organization. The token itself is never stored: only its SHA-256
 * hash, and the token names the invitation's `_id`, so accepting one is a key lookup.
 * Whether it was used or revoked is its InvitationOutcome, not a field here.
 */
@Schema({ collection: 'invitations', versionKey: false, timestamps: { updatedAt: false } })
export class Invitation {
  _id: Types.ObjectId;

  @Prop({ required: true, index: true })
  organizationId: Types.ObjectId;

  @Prop({ required: true })
  email: string;

  @Prop({ type: String, enum: Role, required: true })
  role: Role;

  /** SHA-256 of the token, hexadecimal. */
  @Prop({ required: true })
  tokenHash: string;

  @Prop({ required: true })
  invitedBy: Types.ObjectId;

  @Prop({ required: true })
  expiresAt: Date;

  createdAt: Date;
}

export const InvitationSchema = SchemaFactory.createForClass(Invitation);
