import type { mongo } from 'mongoose';

export interface DatabaseNames {
  master: string;
  tenants: string;
}

export async function ownDatabaseNames(
  client: mongo.MongoClient,
  tenants: string,
): Promise<string[]> {
  const { databases } = await client.db().admin().listDatabases({ nameOnly: true });
  return databases
    .map(({ name }) => name)
    .filter((name) => name.startsWith(`${tenants}_`))
    .sort();
}

/** Drops the master and tenant databases, and every database an organization owns. */
export async function dropAll(client: mongo.MongoClient, names: DatabaseNames): Promise<void> {
  const own = await ownDatabaseNames(client, names.tenants);
  for (const name of [names.master, names.tenants, ...own]) await client.db(name).dropDatabase();
}
