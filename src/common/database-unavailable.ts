import { mongo } from 'mongoose';

/** FerretDB's SQLite handler answers a write it could not lock in time with this. */
const SQLITE_BUSY = /SQLITE_BUSY|database is locked/;

/**
 * Driver errors that mean "the database cannot serve this now", not "the request is
 * wrong": it cannot be reached, or it is too busy to take the write.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  return (
    (error instanceof mongo.MongoServerError && SQLITE_BUSY.test(error.message)) ||
    error instanceof mongo.MongoServerSelectionError ||
    error instanceof mongo.MongoNetworkError ||
    error instanceof mongo.MongoNotConnectedError ||
    error instanceof mongo.MongoTopologyClosedError
  );
}
