import { Schema } from 'mongoose';

/** A document of an organization's own: any JSON object, plus server-owned `_id` and times. */
export interface TenantRecord {
  _id: import('mongoose').Types.ObjectId;
  createdAt: Date;
  updatedAt: Date;
  [field: string]: unknown;
}

/** Top-level fields a client may not set: the server owns them. */
export const SERVER_OWNED_FIELDS = ['_id', 'createdAt', 'updatedAt'] as const;

/**
 * Shared by every tenant's model. `autoCreate` and `autoIndex` are off: binding a model
 * must never create a collection, or a stale binding could re-create a renamed one.
 */
export const TenantRecordSchema = new Schema<TenantRecord>(
  {},
  {
    strict: false,
    // No `id` virtual: a client's own `id` field is data like any other.
    id: false,
    minimize: false,
    versionKey: false,
    timestamps: true,
    autoCreate: false,
    autoIndex: false,
  },
);

const SERVER_OWNED: ReadonlySet<string> = new Set(SERVER_OWNED_FIELDS);

/** The client's part of a record: everything but the server-owned fields. */
export function recordData(record: TenantRecord): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([field]) => !SERVER_OWNED.has(field)));
}
