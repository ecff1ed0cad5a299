import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { Types } from 'mongoose';

const SECRET_BYTES = 32;

/**
 * `<document id>.<43 base64url characters>`: the id finds the document by one key lookup,
 * the secret proves the token. Used for invitation and refresh tokens; only the SHA-256
 * hash of a token is ever stored.
 */
export const OPAQUE_TOKEN = /^[0-9a-f]{24}\.[A-Za-z0-9_-]{43}$/;

export function newOpaqueToken(id: Types.ObjectId): string {
  return `${id.toHexString()}.${randomBytes(SECRET_BYTES).toString('base64url')}`;
}

export function hashOpaqueToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** The document a well-formed token names. */
export function idOfOpaqueToken(token: string): Types.ObjectId {
  return new Types.ObjectId(token.slice(0, 24));
}

export function opaqueTokenMatches(token: string, storedHash: string): boolean {
  return timingSafeEqual(Buffer.from(hashOpaqueToken(token)), Buffer.from(storedHash));
}
