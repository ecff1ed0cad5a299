import { Injectable } from '@nestjs/common';
import { mongo } from 'mongoose';
import { insertMissing, TenantCollections } from './tenant-collections.service';
import type { TenantLocation } from './tenant-location.schema';

const COPY_BATCH = 500;

type Version = number | null;

/** The destination's documents by `_id` (as Extended JSON), with their versions. */
export type DestinationVersions = Map<string, { id: mongo.ObjectId; version: Version }>;
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
   * Makes the destination equal to the source: copies again every document that is
   * missing from the destination or differs from it by `updatedAt` (every change of a
   * record moves it), and deletes from the destination what the source no longer holds.
   * Exact once no write is under way to either side; before that, it narrows what the
   * final pass has to do. Returns how many documents it changed, and what the destination
   * holds now: a later pass given it (while nothing else writes the destination) skips
   * reading the destination again.
   *
   * One pass over each side, and one write by `_id` per changed document: FerretDB pushes
   * no `$in` down to SQLite, so fetching or deleting changed documents by lists of `_id`s
   * would read the whole collection once per list.
   */
  async catchUp(
    from: TenantLocation,
    to: TenantLocation,
    known?: DestinationVersions,
  ): Promise<{ changed: number; destination: DestinationVersions }> {
    const [source, target] = await Promise.all([
      this.collections.collection(from),
      this.collections.collection(to),
    ]);
    const held = known ?? (await versions(target));
    const destination: DestinationVersions = new Map();
    let changed = 0;
    let writes: mongo.AnyBulkWriteOperation[] = [];
    const flush = async () => {
      if (writes.length > 0) await target.bulkWrite(writes, { ordered: false });
      changed += writes.length;
      writes = [];
    };
    for await (const document of source.find({})) {
      const key = keyOf(document._id);
      const version = versionOf(document);
      const existing = held.get(key);
      held.delete(key);
      destination.set(key, { id: document._id, version });
      if (existing === undefined) {
        writes.push({ insertOne: { document } });
      } else if (existing.version !== version) {
        writes.push({ replaceOne: { filter: { _id: document._id }, replacement: document } });
      } else continue;
      if (writes.length === COPY_BATCH) await flush();
    }
    for (const { id } of held.values()) {
      writes.push({ deleteOne: { filter: { _id: id } } });
      if (writes.length === COPY_BATCH) await flush();
    }
    await flush();
    return { changed, destination };
  }
}

const keyOf = (id: unknown): string => mongo.BSON.EJSON.stringify(id);

/** Every document's `_id` and version, keyed by the `_id`'s Extended JSON. */
async function versions(collection: mongo.Collection): Promise<DestinationVersions> {
  const found: DestinationVersions = new Map();
  const cursor = collection.find({}, { projection: { _id: 1, updatedAt: 1 } });
  for await (const document of cursor) {
    found.set(keyOf(document._id), {
      id: document._id,
      version: versionOf(document),
    });
  }
  return found;
}
