import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Types } from 'mongoose';
import { Placement } from '../../tenant/placement';
import { TenantLocation, TenantLocationSchema } from '../../tenant/tenant-location.schema';

/**
 * `pending`, `copying` and `switching` are under way; `done` and `failed` are final. A
 * move under way whose heartbeat is older than the lifecycle lease was abandoned (a crash)
 * and is resumed by the reconciler.
 */
export enum MoveState {
  Pending = 'pending',
  Copying = 'copying',
  Switching = 'switching',
  Done = 'done',
  Failed = 'failed',
}

export const MOVES_UNDER_WAY = [MoveState.Pending, MoveState.Copying, MoveState.Switching];

/** One move of an organization's data to another placement (`tenant_moves`, master database). */
@Schema({ collection: 'tenant_moves', timestamps: true, versionKey: false })
export class TenantMove {
  _id: Types.ObjectId;

  @Prop({ required: true, index: true })
  organizationId: Types.ObjectId;

  @Prop({ type: String, required: true, enum: Placement })
  placement: Placement;

  @Prop({ type: TenantLocationSchema, required: true })
  from: TenantLocation;

  @Prop({ type: TenantLocationSchema, required: true })
  to: TenantLocation;

  @Prop({ type: String, required: true, enum: MoveState, index: true })
  state: MoveState;

  @Prop({ required: true })
  copied: number;

  @Prop({ required: true })
  total: number;

  /** Why a move failed, in words safe to show an operator (no host or credential). */
  @Prop({ type: String })
  error?: string;

  @Prop({ required: true })
  heartbeatAt: Date;

  createdAt: Date;
  updatedAt: Date;
}

export const TenantMoveSchema = SchemaFactory.createForClass(TenantMove);
