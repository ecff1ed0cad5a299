import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Types } from 'mongoose';

/** One document per running instance of the service, renewed while it lives. */
@Schema({ collection: 'service_instances', versionKey: false })
export class ServiceInstance {
  _id: Types.ObjectId;

  /** Past this, by any instance's clock, the instance is taken for dead. */
  @Prop({ required: true })
  expiresAt: Date;
}

export const ServiceInstanceSchema = SchemaFactory.createForClass(ServiceInstance);
