import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Types } from 'mongoose';
import { Role } from '../role';

@Schema({ collection: 'admins', timestamps: true, versionKey: false })
export class Admin {
  _id: Types.ObjectId;

  /** Lowercase and unique across all organizations. */
  @Prop({ required: true, unique: true })
  email: string;

  @Prop({ required: true })
  passwordHash: string;

  @Prop({ required: true, index: true })
  organizationId: Types.ObjectId;

  /** Raised on every password change; tokens carrying an older version are refused. */
  @Prop({ required: true, default: 0 })
  tokenVersion: number;

  /** Absent on admins stored before roles: read it with `roleOf`, which makes them owners. */
  @Prop({ type: String, enum: Role })
  role?: Role;

  createdAt: Date;
  updatedAt: Date;
}

export const AdminSchema = SchemaFactory.createForClass(Admin);
