import { rmSync } from 'node:fs';
import { mongo } from 'mongoose';
import { dropAll } from './databases';

export default async function globalTeardown(): Promise<void> {
  const { database, dataDir } = globalThis.e2eDatabase ?? {};
  const client = await mongo.MongoClient.connect(process.env.MONGODB_URI!);
  try {
    await dropAll(client, {
      master: process.env.MASTER_DB_NAME!,
      tenants: process.env.TENANT_DB_NAME!,
    });
  } finally {
    await client.close();
  }
  await database?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
}
