import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Types } from 'mongoose';

/**
 * Says that an instance may be writing to an organization's collection. It is inserted
 * before the instance checks where that collection is, and removed once its writes there
 * have finished, so a rename or delete that finds none can move the collection safely.
 */
@Schema({ collection: 'tenant_writers', versionKey: false, timestamps: { updatedAt: false } })
export class TenantWriter {
  _id: Types.ObjectId;

  @Prop({ required: true, index: true })
  organizationId: Types.ObjectId;

  @Prop({ required: true })
  instanceId: Types.ObjectId;

  createdAt: Date;
}

export const TenantWriterSchema = SchemaFactory.createForClass(TenantWriter);
