import { Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import type { Connection, mongo } from 'mongoose';
import type { TenantLocation } from './tenant-location.schema';

/**
 * Turns a tenant location into a connection to its database. Every tenant read, write
 * and collection step goes through here, so a placement decides the server as well as
 * the database.
 */
@Injectable()
export class TenantClients {
  constructor(@InjectConnection() private readonly master: Connection) {}

  /** The Mongoose connection to the location's database (cached per database). */
  connection(location: TenantLocation): Promise<Connection> {
    return Promise.resolve(this.master.useDb(location.database, { useCache: true }));
  }

  async db(location: TenantLocation): Promise<mongo.Db> {
    return (await this.connection(location)).db!;
  }
}
