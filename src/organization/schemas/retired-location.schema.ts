import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Types } from 'mongoose';

export enum RetiredLocationFate {
  /** Its documents belong in the organization's current collection. */
  Renamed = 'renamed',
  /** Its documents belong to nobody. */
  Deleted = 'deleted',
}

/**
 * A tenant collection that a finished rename or delete left behind, keyed by
 * `<database>.<collection>`. A write that was sent before the barrier but reached the
 * server after it (its instance died or stalled past its lease) can bring such a
 * collection back; this record says whose documents they are, so the reconciler (or the
 * next create of that name) moves them to their organization or drops them.
 */
@Schema({ collection: 'retired_locations', versionKey: false, timestamps: { updatedAt: false } })
export class RetiredLocation {
  @Prop({ type: String, required: true })
  _id: string;

  @Prop({ required: true })
  organizationId: Types.ObjectId;

  @Prop({ required: true, enum: RetiredLocationFate })
  fate: RetiredLocationFate;

  createdAt: Date;
}

export const RetiredLocationSchema = SchemaFactory.createForClass(RetiredLocation);
