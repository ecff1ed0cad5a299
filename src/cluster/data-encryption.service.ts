import { Injectable, ServiceUnavailableException } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { ValidatedEnvironment } from '../config/environment';
import { keyIdOf, parseEncryptionKey, seal, unseal, type SealedSecret } from './data-encryption';

/**
 * Seals secrets with DATA_ENCRYPTION_KEY and opens those sealed with it or with one of
 * DATA_ENCRYPTION_PREVIOUS_KEYS (each sealed secret names its key by id).
 */
@Injectable()
export class DataEncryption {
  private readonly current?: Buffer;
  private readonly keys = new Map<string, Buffer>();

  constructor(config: ConfigService<ValidatedEnvironment, true>) {
    const previous = config.get('DATA_ENCRYPTION_PREVIOUS_KEYS', { infer: true });
    const current = config.get('DATA_ENCRYPTION_KEY', { infer: true });
    for (const text of [...previous, ...(current ? [current] : [])]) {
      const key = parseEncryptionKey(text)!;
      this.keys.set(keyIdOf(key), key);
    }
    if (current) this.current = parseEncryptionKey(current);
  }

  /** 503 when no DATA_ENCRYPTION_KEY is configured. */
  seal(plaintext: string, context: string): SealedSecret {
    if (!this.current) {
      throw new ServiceUnavailableException(
        'Data encryption is not configured: set DATA_ENCRYPTION_KEY to register clusters',
      );
    }
    return seal(plaintext, this.current, context);
  }

  unseal(sealed: SealedSecret, context: string): string {
    return unseal(sealed, this.keys, context);
  }

  /** The id of DATA_ENCRYPTION_KEY; undefined when it is not set. */
  get currentKeyId(): string | undefined {
    return this.current && keyIdOf(this.current);
  }
}
