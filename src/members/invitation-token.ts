import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { Types } from 'mongoose';

const SECRET_BYTES = 32;

/** `<invitation id>.<43 base64url characters>`: the id finds it, the secret proves it. */
export const INVITATION_TOKEN = /^[0-9a-f]{24}\.[A-Za-z0-9_-]{43}$/;

export function newInvitationToken(invitationId: Types.ObjectId): string {
  return `${invitationId.toHexString()}.${randomBytes(SECRET_BYTES).toString('base64url')}`;
}

export function hashInvitationToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** The invitation a well-formed token names. */
export function invitationIdOf(token: string): Types.ObjectId {
  return new Types.ObjectId(token.slice(0, 24));
}

export function tokenMatches(token: string, storedHash: string): boolean {
  return timingSafeEqual(Buffer.from(hashInvitationToken(token)), Buffer.from(storedHash));
}
