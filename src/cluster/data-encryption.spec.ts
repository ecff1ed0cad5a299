import { randomBytes } from 'node:crypto';
import { keyIdOf, parseEncryptionKey, seal, unseal } from './data-encryption';

describe('data encryption', () => {
  const key = randomBytes(32);
  const uri = 'mongodb://app:s3cret-pass@db1.example:27017/?replicaSet=rs0';

  it('reads a 32-byte key written as hex, base64 or base64url', () => {
    expect(parseEncryptionKey(key.toString('hex'))).toEqual(key);
    expect(parseEncryptionKey(key.toString('base64'))).toEqual(key);
    expect(parseEncryptionKey(key.toString('base64url'))).toEqual(key);
  });

  it.each([
    ['too short', randomBytes(16).toString('hex')],
    ['too long', randomBytes(33).toString('base64')],
    ['not a key', 'correct-horse-battery-staple'],
    ['empty', ''],
  ])('refuses a key that is %s', (_case, text) => {
    expect(parseEncryptionKey(text)).toBeUndefined();
  });

  it('seals without the plaintext and opens with the key it names', () => {
    const sealed = seal(uri, key, 'eu-1');
    expect(sealed.keyId).toBe(keyIdOf(key));
    expect(sealed.keyId).toMatch(/^[0-9a-f]{8}$/);
    const stored = JSON.stringify(sealed);
    expect(stored).not.toContain('s3cret-pass');
    expect(stored).not.toContain('db1.example');
    expect(unseal(sealed, new Map([[sealed.keyId, key]]), 'eu-1')).toBe(uri);
  });

  it('uses a fresh IV each time', () => {
    expect(seal(uri, key, 'eu-1').ciphertext).not.toBe(seal(uri, key, 'eu-1').ciphertext);
  });

  it('opens a secret sealed under a previous key after rotation', () => {
    const previous = randomBytes(32);
    const sealed = seal(uri, previous, 'eu-1');
    const keys = new Map([
      [keyIdOf(key), key],
      [keyIdOf(previous), previous],
    ]);
    expect(unseal(sealed, keys, 'eu-1')).toBe(uri);
  });

  it('refuses an unknown key, another record’s context and an altered ciphertext', () => {
    const sealed = seal(uri, key, 'eu-1');
    const keys = new Map([[sealed.keyId, key]]);
    expect(() => unseal(sealed, new Map(), 'eu-1')).toThrow(/no encryption key/);
    expect(() => unseal(sealed, keys, 'eu-2')).toThrow();
    const altered = Buffer.from(sealed.ciphertext, 'base64');
    altered[0] ^= 1;
    expect(() =>
      unseal({ ...sealed, ciphertext: altered.toString('base64') }, keys, 'eu-1'),
    ).toThrow();
  });
});
