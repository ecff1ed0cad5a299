import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/**
 * Held while one write changes one record. FerretDB 1.x does not apply a single update
 * atomically under concurrency (concurrent `$set`s of different fields lose some), but an
 * insert keyed by `_id` is atomic on it and on MongoDB, so writers to a record take turns.
 */
@Schema({ collection: 'record_locks', versionKey: false })
export class RecordLock {
  /** `<organization id>:<record id>` */
  @Prop({ type: String, required: true })
  _id: string;

  @Prop({ type: String, required: true })
  token: string;

  /** A holder that died is overtaken after this. */
  @Prop({ required: true })
  expiresAt: Date;
}

export const RecordLockSchema = SchemaFactory.createForClass(RecordLock);
