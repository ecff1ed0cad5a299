import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/**
 * Where an organization's data lives, kept in its master record. Today every tenant has a
 * collection in one tenant database on the master's server; a per-tenant database (or a
 * cluster name) is the next step, and only this record and TenantConnectionService change.
 */
@Schema({ _id: false })
export class TenantLocation {
  @Prop({ required: true })
  database: string;

  @Prop({ required: true })
  collectionName: string;
}

export const TenantLocationSchema = SchemaFactory.createForClass(TenantLocation);

export function sameLocation(a: TenantLocation, b: TenantLocation): boolean {
  return a.database === b.database && a.collectionName === b.collectionName;
}
