import { mongo } from 'mongoose';

/** Server error codes this service handles; MongoDB and FerretDB share them. */
export enum MongoErrorCode {
  /** Also FerretDB's answer to a document it cannot store (such as nested arrays). */
  BadValue = 2,
  NamespaceNotFound = 26,
  NamespaceExists = 48,
  DuplicateKey = 11000,
}

const INTERNAL_ERROR = 1;
const FERRETDB_UNIQUE_VIOLATION = /UNIQUE constraint failed/;

export function isMongoError(error: unknown, code: MongoErrorCode): boolean {
  if (!(error instanceof mongo.MongoServerError)) return false;
  if (error.code === code) return true;
  // FerretDB 1.x answers a unique-index violation by an *update* (not an insert) with
  // InternalError and SQLite's message instead of DuplicateKey.
  return (
    code === MongoErrorCode.DuplicateKey &&
    error.code === INTERNAL_ERROR &&
    FERRETDB_UNIQUE_VIOLATION.test(error.message)
  );
}
