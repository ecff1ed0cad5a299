import { Injectable } from '@nestjs/common';
import { mongo } from 'mongoose';
import { insertMissing, TenantCollections } from './tenant-collections.service';
import type { TenantLocation } from './tenant-location.schema';

const COPY_BATCH = 500;

type Version = number | null;
/** A document's version: its `updatedAt`, which every change of a record moves forward. */
const versionOf = (document: mongo.Document): Version =>
  document.updatedAt instanceof Date ? document.updatedAt.getTime() : null;

/**
 * Copies a tenant's documents between two locations, keeping their `_id`s: first in
 * batches while the tenant is still written to, then, once writes are drained, whatever
 * changed since, so that the destination ends up equal to the source.
 */
@Injectable()
export class TenantDataCopier {
  constructor(private readonly collections: TenantCollections) {}

  /**
   * Copies every document the source held when it started that the destination does not
   * hold yet, in one pass over the source; calls `progress` after each batch with the
   * number copied so far. Safe to repeat.
   */
  async copy(
    from: TenantLocation,
    to: TenantLocation,
    progress: (copied: number) => Promise<void>,
  ): Promise<number> {
    const [source, target] = await Promise.all([
      this.collections.collection(from),
      this.collections.collection(to),
    ]);
    // Up to the newest document at the start: writes go on meanwhile, and chasing them
    // could never end; what comes later is the catch-up's, once writes are drained.
    const newest = await source.findOne({}, { sort: { _id: -1 }, projection: { _id: 1 } });
    if (!newest) return 0;
    // One cursor, not a query per batch: FerretDB pushes no `_id` range down to SQLite, so
    // paging by `_id` would read the whole collection once per batch.
    const cursor = source.find({ _id: { $lte: newest._id } }, { batchSize: COPY_BATCH });
    let copied = 0;
    let batch: mongo.Document[] = [];
    const flush = async () => {
      await insertMissing(target, batch);
      copied += batch.length;
      batch = [];
      await progress(copied);
    };
    for await (const document of cursor) {
      batch.push(document);
      if (batch.length === COPY_BATCH) await flush();
    }
    if (batch.length > 0) await flush();
    return copied;
  }

  /**
   * With no write under way to either side: copies again every document that is missing
   * from the destination or differs from it by `updatedAt` (every change of a record
   * moves it), and deletes from the destination what the source no longer holds.
   * Returns how many documents it changed.
   */
  async catchUp(from: TenantLocation, to: TenantLocation): Promise<number> {
    const [source, target] = await Promise.all([
      this.collections.collection(from),
      this.collections.collection(to),
    ]);
    const pending = await versions(source);
    const stale: mongo.ObjectId[] = [];
    for (const [key, { id, version }] of await versions(target)) {
      const wanted = pending.get(key);
      if (!wanted) stale.push(id);
      else if (wanted.version === version) pending.delete(key);
    }
    const missing = [...pending.values()].map(({ id }) => id);
    for (let start = 0; start < missing.length; start += COPY_BATCH) {
      const ids = missing.slice(start, start + COPY_BATCH);
      const documents = await source.find({ _id: { $in: ids } }).toArray();
      await target.deleteMany({ _id: { $in: ids } });
      if (documents.length > 0) await target.insertMany(documents, { ordered: false });
    }
    for (let start = 0; start < stale.length; start += COPY_BATCH) {
      await target.deleteMany({ _id: { $in: stale.slice(start, start + COPY_BATCH) } });
    }
    return missing.length + stale.length;
  }
}

/** Every document's `_id` and version, keyed by the `_id`'s Extended JSON. */
async function versions(
  collection: mongo.Collection,
): Promise<Map<string, { id: mongo.ObjectId; version: Version }>> {
  const found = new Map<string, { id: mongo.ObjectId; version: Version }>();
  const cursor = collection.find({}, { projection: { _id: 1, updatedAt: 1 } });
  for await (const document of cursor) {
    found.set(mongo.BSON.EJSON.stringify(document._id), {
      id: document._id,
      version: versionOf(document),
    });
  }
  return found;
}
