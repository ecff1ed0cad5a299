import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Types } from 'mongoose';

/**
 * One document per organization name in use or being taken. The name is the `_id`, so
 * an insert reserves it atomically on MongoDB and FerretDB alike; a rename holds both
 * the old and the new name until it is finished, so either way out stays open.
 */
@Schema({ collection: 'organization_names', versionKey: false, timestamps: { updatedAt: false } })
export class NameClaim {
  @Prop({ type: String, required: true })
  _id: string;

  @Prop({ required: true, index: true })
  organizationId: Types.ObjectId;

  createdAt: Date;
}

export const NameClaimSchema = SchemaFactory.createForClass(NameClaim);
/** The reconciler reads the claims that came of age since its last pass. */
NameClaimSchema.index({ createdAt: 1 });
