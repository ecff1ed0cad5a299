import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import type { SealedSecret } from '../data-encryption';

/**
 * A registered cluster (`clusters`, master database), keyed by its name. Its connection
 * string is kept only encrypted; its hosts, without credentials, are kept to show operators.
 */
@Schema({ collection: 'clusters', versionKey: false, timestamps: { updatedAt: false } })
export class Cluster {
  @Prop({ type: String, required: true })
  _id: string;

  @Prop({ type: [String], required: true })
  hosts: string[];

  @Prop({ type: Object, required: true })
  uri: SealedSecret;

  createdAt: Date;
}

export const ClusterSchema = SchemaFactory.createForClass(Cluster);
