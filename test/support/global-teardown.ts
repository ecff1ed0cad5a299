import { rmSync } from 'node:fs';
import { mongo } from 'mongoose';

export default async function globalTeardown(): Promise<void> {
  const { database, dataDir } = globalThis.e2eDatabase ?? {};
  const client = await mongo.MongoClient.connect(process.env.MONGODB_URI!);
  try {
    await client.db(process.env.MASTER_DB_NAME).dropDatabase();
    await client.db(process.env.TENANT_DB_NAME).dropDatabase();
  } finally {
    await client.close();
  }
  await database?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
}
