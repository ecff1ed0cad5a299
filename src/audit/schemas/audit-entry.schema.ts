import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Types } from 'mongoose';
import { AuditAction, AuditTargetType } from '../audit-action';

/** What a change was made to: its id, the email or name naming it, counts for bulk writes. */
@Schema({ _id: false, versionKey: false })
export class AuditTarget {
  @Prop({ type: String, required: true, enum: AuditTargetType })
  type: AuditTargetType;

  @Prop({ type: Types.ObjectId })
  id?: Types.ObjectId;

  @Prop()
  email?: string;

  /** An organization's name (its new one after a rename). */
  @Prop()
  name?: string;

  /** A role change or an invitation: the role given. */
  @Prop()
  role?: string;

  /** An import or bulk write: how many documents were stored and refused. */
  @Prop()
  stored?: number;

  @Prop()
  refused?: number;
}

const AuditTargetSchema = SchemaFactory.createForClass(AuditTarget);

/**
 * One change, appended to `audit_entries` in the master database and never updated. It is
 * keyed by organization but not deleted with it: the record of who deleted an organization
 * is the point. Entries go when AUDIT_RETENTION_DAYS have passed since `at` (a TTL index on
 * MongoDB; the reconciler's sweep on FerretDB, which has no TTL indexes). No field ever
 * holds a password, a hash or a token.
 */
@Schema({ collection: 'audit_entries', versionKey: false })
export class AuditEntry {
  _id: Types.ObjectId;

  /** The admin who made the change; null for an anonymous one (a failed login). */
  @Prop({ type: Types.ObjectId, default: null })
  actorId: Types.ObjectId | null;

  @Prop({ type: String, required: true, enum: AuditAction })
  action: AuditAction;

  @Prop({ type: AuditTargetSchema, default: null })
  target: AuditTarget | null;

  /** Null when no organization is known (a login attempt for an unknown email). */
  @Prop({ type: Types.ObjectId, default: null })
  organizationId: Types.ObjectId | null;

  @Prop({ required: true })
  at: Date;

  /** The request's id, as logged and answered in X-Request-Id. */
  @Prop({ type: String, default: null })
  requestId: string | null;

  @Prop({ type: String, default: null })
  clientAddress: string | null;
}

export const AuditEntrySchema = SchemaFactory.createForClass(AuditEntry);
/** The page of `GET /org/audit`, with or without its action filter: newest first. */
AuditEntrySchema.index({ organizationId: 1, _id: -1 });
AuditEntrySchema.index({ organizationId: 1, action: 1, _id: -1 });
