import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/**
 * Where an organization's data lives, kept in its master record: a database and a
 * collection on the master's server, or, when `cluster` names a registered cluster, on
 * that cluster. TenantClients turns it into a database handle.
 */
@Schema({ _id: false })
export class TenantLocation {
  @Prop({ required: true })
  database: string;

  @Prop({ required: true })
  collectionName: string;

  @Prop({ type: String })
  cluster?: string;
}

export const TenantLocationSchema = SchemaFactory.createForClass(TenantLocation);

export function sameLocation(a: TenantLocation, b: TenantLocation): boolean {
  return (
    a.database === b.database &&
    a.collectionName === b.collectionName &&
    (a.cluster ?? null) === (b.cluster ?? null)
  );
}
