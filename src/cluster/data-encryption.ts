import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

const ALGORITHM = 'aes-256-gcm';
const KEY_BYTES = 32;
const IV_BYTES = 12;
const HEX_KEY = /^[0-9a-fA-F]{64}$/;
const BASE64_KEY = /^[A-Za-z0-9+/_-]{43}=?$/;

/** A secret encrypted with AES-256-GCM, as the master database keeps it (base64 parts). */
export interface SealedSecret {
  /** Which key encrypted it: the first 8 hex characters of the key's SHA-256. */
  keyId: string;
  iv: string;
  tag: string;
  ciphertext: string;
}

/** A 32-byte key written as 64 hex characters or as base64; undefined for anything else. */
export function parseEncryptionKey(text: string): Buffer | undefined {
  const trimmed = text.trim();
  if (HEX_KEY.test(trimmed)) return Buffer.from(trimmed, 'hex');
  if (!BASE64_KEY.test(trimmed)) return undefined;
  const key = Buffer.from(
    trimmed,
    trimmed.includes('-') || trimmed.includes('_') ? 'base64url' : 'base64',
  );
  return key.length === KEY_BYTES ? key : undefined;
}

/** Names a key without revealing it, so a sealed secret says which key opens it. */
export function keyIdOf(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 8);
}

/**
 * Encrypts `plaintext` under `key`; `context` (such as the record's name) is authenticated
 * with it, so a sealed secret copied into another record no longer opens.
 */
export function seal(plaintext: string, key: Buffer, context: string): SealedSecret {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(ALGORITHM, key, iv);
  cipher.setAAD(Buffer.from(context, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return {
    keyId: keyIdOf(key),
    iv: iv.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
    ciphertext: ciphertext.toString('base64'),
  };
}

/** Decrypts with the key the secret names; throws when no such key is known or it was altered. */
export function unseal(
  sealed: SealedSecret,
  keys: ReadonlyMap<string, Buffer>,
  context: string,
): string {
  const key = keys.get(sealed.keyId);
  if (!key) throw new Error(`no encryption key with id ${sealed.keyId} is configured`);
  const decipher = createDecipheriv(ALGORITHM, key, Buffer.from(sealed.iv, 'base64'));
  decipher.setAAD(Buffer.from(context, 'utf8'));
  decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
  return Buffer.concat([
    decipher.update(Buffer.from(sealed.ciphertext, 'base64')),
    decipher.final(),
  ]).toString('utf8');
}
