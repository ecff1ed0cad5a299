import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Types } from 'mongoose';

/**
 * One login: the family of refresh tokens rotated from it, and the access tokens issued
 * with them, which carry its `_id` as `sid`. Ending a session deletes this document, so
 * the token check refuses its access tokens and refresh finds nothing.
 */
@Schema({ collection: 'sessions', versionKey: false, timestamps: true })
export class Session {
  _id: Types.ObjectId;

  @Prop({ required: true, index: true })
  adminId: Types.ObjectId;

  @Prop({ required: true, index: true })
  organizationId: Types.ObjectId;

  /** SHA-256 of the current refresh token; earlier ones are in `rotated_refresh_tokens`. */
  @Prop({ required: true })
  refreshHash: string;

  /** REFRESH_TTL after the last rotation; the reconciler's sweep deletes it after that. */
  @Prop({ required: true })
  expiresAt: Date;

  createdAt: Date;
  updatedAt: Date;
}

export const SessionSchema = SchemaFactory.createForClass(Session);
/** FerretDB 1.x has no TTL indexes: the reconciler deletes expired sessions by this index. */
SessionSchema.index({ expiresAt: 1 });
