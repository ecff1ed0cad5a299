import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Types } from 'mongoose';
import { Placement } from '../../tenant/placement';
import { TenantLocation, TenantLocationSchema } from '../../tenant/tenant-location.schema';

/**
 * `active` is the only resting state. The others are written before the collection step
 * they announce, so a crash leaves a record that says what was under way.
 */
export enum OrganizationStatus {
  Creating = 'creating',
  Active = 'active',
  Renaming = 'renaming',
  Deleting = 'deleting',
  /** A move's switch: writes wait while the last changes reach the destination. */
  Moving = 'moving',
}

/** The target of a rename in progress. */
@Schema({ _id: false })
export class PendingRename {
  @Prop({ required: true })
  name: string;

  @Prop({ type: TenantLocationSchema, required: true })
  location: TenantLocation;
}

/** The destination of a move under way; its data still lives at `location` until the switch. */
@Schema({ _id: false })
export class PendingMove {
  @Prop({ required: true })
  moveId: Types.ObjectId;

  @Prop({ type: String, required: true, enum: Placement })
  placement: Placement;

  @Prop({ type: TenantLocationSchema, required: true })
  location: TenantLocation;
}

@Schema({ collection: 'organizations', timestamps: true, versionKey: false })
export class Organization {
  _id: Types.ObjectId;

  /** Normalized (lowercase) and unique; the name claims are what reserve it. */
  @Prop({ required: true, unique: true })
  name: string;

  @Prop({ type: TenantLocationSchema, required: true })
  location: TenantLocation;

  /** Absent on records older than placements: those are `shared`. */
  @Prop({ type: String, enum: Placement })
  placement?: Placement;

  @Prop({ required: true })
  adminId: Types.ObjectId;

  @Prop({ required: true, enum: OrganizationStatus, index: true })
  status: OrganizationStatus;

  /** When `status` last changed: an intermediate state older than the lease is abandoned. */
  @Prop({ required: true })
  statusChangedAt: Date;

  @Prop({ type: SchemaFactory.createForClass(PendingRename) })
  pendingRename?: PendingRename;

  @Prop({ type: SchemaFactory.createForClass(PendingMove) })
  pendingMove?: PendingMove;

  createdAt: Date;
  updatedAt: Date;
}

export const OrganizationSchema = SchemaFactory.createForClass(Organization);
