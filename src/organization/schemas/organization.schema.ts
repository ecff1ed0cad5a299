import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Types } from 'mongoose';
import { TenantLocation, TenantLocationSchema } from '../../tenant/tenant-location.schema';

export enum OrganizationStatus {
  Creating = 'creating',
  Active = 'active',
  Renaming = 'renaming',
  Deleting = 'deleting',
}

@Schema({ collection: 'organizations', timestamps: true, versionKey: false })
export class Organization {
  _id: Types.ObjectId;

  /** Normalized (lowercase) and unique. */
  @Prop({ required: true, unique: true })
  name: string;

  @Prop({ type: TenantLocationSchema, required: true })
  location: TenantLocation;

  @Prop({ required: true })
  adminId: Types.ObjectId;

  @Prop({ required: true, enum: OrganizationStatus, default: OrganizationStatus.Creating })
  status: OrganizationStatus;

  createdAt: Date;
  updatedAt: Date;
}

export const OrganizationSchema = SchemaFactory.createForClass(Organization);
