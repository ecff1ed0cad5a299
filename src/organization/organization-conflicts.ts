import { ConflictException } from '@nestjs/common';
import { isMongoError, MongoErrorCode } from '../common/mongo-errors';

export const BUSY = 'The organization is being changed by another request; try again';

export const nameTaken = (name: string) =>
  new ConflictException(`Organization name "${name}" is already taken`);

export const emailTaken = () => new ConflictException('An admin with this email already exists');

/** For `.catch()`: a duplicate-key error becomes the given conflict; others pass through. */
export function rethrowDuplicateAs(conflict: ConflictException) {
  return (error: unknown): never => {
    throw isMongoError(error, MongoErrorCode.DuplicateKey) ? conflict : error;
  };
}
