import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Types } from 'mongoose';

/**
 * Held by whoever is running a lifecycle operation on an organization. The organization
 * id is the `_id`, so taking the lock is an insert: atomic on MongoDB and on FerretDB,
 * whose conditional updates (findAndModify) are not atomic under concurrency.
 */
@Schema({ collection: 'organization_locks', versionKey: false })
export class OperationLock {
  _id: Types.ObjectId;

  /** Identifies the holder, so only it releases the lock. */
  @Prop({ required: true })
  token: Types.ObjectId;

  @Prop({ required: true })
  acquiredAt: Date;
}

export const OperationLockSchema = SchemaFactory.createForClass(OperationLock);
