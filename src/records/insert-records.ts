import { mongo } from 'mongoose';
import { isDatabaseUnavailable } from '../common/database-unavailable';
import { isMongoError, MongoErrorCode } from '../common/mongo-errors';

export interface InsertOutcome {
  /** Position in the input → the stored record's id. */
  stored: Map<number, string>;
  /** Position in the input → why the database refused it. */
  refused: Map<number, string>;
}

export const CANNOT_STORE = 'the database cannot store this record';

/**
 * A record as it is stored: `_id` first, the client's fields in their order, then the
 * timestamps. Fields a record already has (an import's) keep their value and place.
 */
export function storedDocument(record: Record<string, unknown>, now: Date): StoredDocument {
  return {
    _id: new mongo.ObjectId(),
    ...record,
    createdAt: record.createdAt ?? now,
    updatedAt: record.updatedAt ?? now,
  };
}

export type StoredDocument = Record<string, unknown> & { _id: mongo.ObjectId };

/**
 * Inserts records unordered, with the server's timestamps unless they carry their own,
 * and accounts for every one: stored with its id, or refused with a reason a client may
 * read (never the driver's message). When the database's answer does not account for
 * every record, the outcome is unknown, and the error is thrown rather than guessed at.
 */
export async function insertRecords(
  collection: mongo.Collection,
  records: Record<string, unknown>[],
): Promise<InsertOutcome> {
  const now = new Date();
  const documents = records.map((record) => storedDocument(record, now));
  const outcome: InsertOutcome = { stored: new Map(), refused: new Map() };
  let insertedIds: Record<number, unknown>;
  try {
    ({ insertedIds } = await collection.insertMany(documents, { ordered: false }));
  } catch (error) {
    if (!(error instanceof mongo.MongoBulkWriteError)) throw error;
    const failures: mongo.WriteError[] = [error.writeErrors].flat();
    if (error.insertedCount + failures.length !== documents.length) throw error;
    // A database too busy to take the write is a reason to try again, not a refusal.
    if (isDatabaseUnavailable(error)) throw error;
    for (const failure of failures) outcome.refused.set(failure.index, reasonFor(failure.code));
    insertedIds = Object.fromEntries(
      documents.flatMap((document, index) =>
        outcome.refused.has(index) ? [] : [[index, document._id]],
      ),
    );
  }
  for (const [index, id] of Object.entries(insertedIds))
    outcome.stored.set(Number(index), String(id));
  return outcome;
}

/** A single write the database refuses as a bad value is the client's 400, not a 500. */
export function isUnstorable(error: unknown): boolean {
  return isMongoError(error, MongoErrorCode.BadValue);
}

function reasonFor(code: number): string {
  return code === Number(MongoErrorCode.DuplicateKey)
    ? 'a record with this _id already exists'
    : CANNOT_STORE;
}
