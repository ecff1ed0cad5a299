import type { NestExpressApplication } from '@nestjs/platform-express';
import { mongo } from 'mongoose';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { createApp } from '../../src/app.setup';
import { dropAll, ownDatabaseNames, type DatabaseNames } from './databases';

export interface TestContext {
  app: NestExpressApplication;
  http: TestAgent;
  db: DatabaseInspector;
  close(): Promise<void>;
}

export interface TestAppOptions {
  /**
   * Overrides Express 'trust proxy' after boot, as TRUST_PROXY would; lets a suite give
   * each test its own client address through X-Forwarded-For.
   */
  trustProxy?: boolean | number | string[];
}

/** Boots the real application (same pipes, guards, filters and limits as production). */
export async function startTestApp(options: TestAppOptions = {}): Promise<TestContext> {
  const app = await createApp();
  if (options.trustProxy !== undefined) app.set('trust proxy', options.trustProxy);
  await app.init();
  const db = await DatabaseInspector.connect();
  return {
    app,
    http: request(app.getHttpServer()),
    db,
    close: async () => {
      await db.close();
      await app.close();
    },
  };
}

export type { DatabaseNames } from './databases';

/** Reads the database over its own connection, to check what the service stored. */
export class DatabaseInspector {
  private constructor(
    readonly client: mongo.MongoClient,
    private readonly names: DatabaseNames,
  ) {}

  /** Defaults to the databases of the in-process app (the e2e global setup's names). */
  static async connect(
    uri = process.env.MONGODB_URI!,
    names: DatabaseNames = {
      master: process.env.MASTER_DB_NAME!,
      tenants: process.env.TENANT_DB_NAME!,
    },
  ): Promise<DatabaseInspector> {
    return new DatabaseInspector(await mongo.MongoClient.connect(uri), names);
  }

  get master(): mongo.Db {
    return this.client.db(this.names.master);
  }

  get tenants(): mongo.Db {
    return this.client.db(this.names.tenants);
  }

  nameClaims(organizationId: mongo.ObjectId) {
    return this.master.collection('organization_names').find({ organizationId }).toArray();
  }

  /** The emails an admin holds claims on, sorted. */
  async emailClaims(adminId: mongo.ObjectId): Promise<string[]> {
    const claims = await this.master.collection('admin_emails').find({ adminId }).toArray();
    return claims.map((claim) => String(claim._id)).sort();
  }

  async tenantCollections(): Promise<string[]> {
    const collections = await this.tenants.listCollections({}, { nameOnly: true }).toArray();
    return collections
      .map(({ name }) => name)
      .filter((name) => name.startsWith('org_'))
      .sort();
  }

  /** A database of the organization's own (placement `database`), on the master's server. */
  ownDatabase(organizationId: string): mongo.Db {
    return this.client.db(`${this.names.tenants}_${organizationId}`);
  }

  /** The names of the databases organizations own, sorted. */
  async ownDatabases(): Promise<string[]> {
    return ownDatabaseNames(this.client, this.names.tenants);
  }

  async drop(): Promise<void> {
    await dropAll(this.client, this.names);
  }

  organization(name: string) {
    return this.master.collection('organizations').findOne({ name });
  }

  admin(email: string) {
    return this.master.collection('admins').findOne({ email });
  }

  async tenantCollectionExists(collection: string): Promise<boolean> {
    const found = await this.tenants
      .listCollections({ name: collection }, { nameOnly: true })
      .toArray();
    return found.length === 1;
  }

  close(): Promise<void> {
    return this.client.close();
  }
}
