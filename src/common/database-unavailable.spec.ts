import { mongo } from 'mongoose';
import { isDatabaseUnavailable } from './database-unavailable';

const serverError = (message: string) => new mongo.MongoServerError({ message, code: 1 });

describe('isDatabaseUnavailable', () => {
  it.each([
    'database is locked (5) (SQLITE_BUSY)',
    '[pool.go:202 pool.(*Pool).GetOrCreate] file:x.sqlite: [opendb.go:57 pool.openDB] unable to open database file (14)',
    'database or disk is full (13)',
  ])('is true for FerretDB out of resources: %s', (message) => {
    expect(isDatabaseUnavailable(serverError(message))).toBe(true);
  });

  it('is false for any other server error', () => {
    expect(isDatabaseUnavailable(serverError('E11000 duplicate key error'))).toBe(false);
    expect(isDatabaseUnavailable(new Error('unable to open database file'))).toBe(false);
  });
});
