import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Types } from 'mongoose';

/**
 * A refresh token that was used, keyed by its SHA-256 hash. Using a token is an insert
 * here, so of two uses of one token (a replay, or a race) exactly one gets through, on
 * FerretDB too; the other is reuse, and ends the session.
 */
@Schema({ collection: 'rotated_refresh_tokens', versionKey: false })
export class RotatedRefreshToken {
  @Prop({ type: String, required: true })
  _id: string;

  @Prop({ required: true })
  sessionId: Types.ObjectId;

  @Prop({ required: true, index: true })
  organizationId: Types.ObjectId;

  /** Kept as long as the session could be: reuse is detected until then. */
  @Prop({ required: true })
  expiresAt: Date;
}

export const RotatedRefreshTokenSchema = SchemaFactory.createForClass(RotatedRefreshToken);
RotatedRefreshTokenSchema.index({ expiresAt: 1 });
