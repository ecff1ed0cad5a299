import type { NestExpressApplication } from '@nestjs/platform-express';
import { mongo } from 'mongoose';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { createApp } from '../../src/app.setup';

export interface TestContext {
  app: NestExpressApplication;
  http: TestAgent;
  db: DatabaseInspector;
  close(): Promise<void>;
}

/** Boots the real application (same pipes, guards, filters and limits as production). */
export async function startTestApp(): Promise<TestContext> {
  const app = await createApp();
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

/** Reads the database over its own connection, to check what the service stored. */
export class DatabaseInspector {
  private constructor(private readonly client: mongo.MongoClient) {}

  static async connect(): Promise<DatabaseInspector> {
    return new DatabaseInspector(await mongo.MongoClient.connect(process.env.MONGODB_URI!));
  }

  get master(): mongo.Db {
    return this.client.db(process.env.MASTER_DB_NAME);
  }

  get tenants(): mongo.Db {
    return this.client.db(process.env.TENANT_DB_NAME);
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
