import { mongo } from 'mongoose';

/**
 * FerretDB's SQLite handler: a write it could not lock in time (SQLITE_BUSY), a database
 * file it cannot open, for example once every file descriptor is in use, since it keeps
 * each database's file open (SQLITE_CANTOPEN), and a full disk (SQLITE_FULL).
 */
const SQLITE_RESOURCE_EXHAUSTED =
  /SQLITE_BUSY|database is locked|unable to open database file|database or disk is full/;

/**
 * A registered cluster cannot be used now: it does not answer, or its connection string
 * cannot be decrypted. Carries only the cluster's name, never the driver's error, whose
 * message may name hosts.
 */
export class ClusterUnavailableError extends Error {
  constructor(readonly cluster: string) {
    super(`Cluster ${cluster} is unavailable`);
    this.name = 'ClusterUnavailableError';
  }
}

/**
 * Driver errors that mean "the database cannot serve this now", not "the request is
 * wrong": it cannot be reached, or it is too busy or out of resources to take the write.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  return (
    error instanceof ClusterUnavailableError ||
    (error instanceof mongo.MongoServerError && SQLITE_RESOURCE_EXHAUSTED.test(error.message)) ||
    error instanceof mongo.MongoServerSelectionError ||
    error instanceof mongo.MongoNetworkError ||
    error instanceof mongo.MongoNotConnectedError ||
    error instanceof mongo.MongoTopologyClosedError
  );
}
