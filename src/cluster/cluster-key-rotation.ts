import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { ClusterRepository } from './cluster.repository';
import { DataEncryption } from './data-encryption.service';

/**
 * Completes a key rotation at start-up: every cluster's connection string sealed under a
 * previous key (DATA_ENCRYPTION_PREVIOUS_KEYS) is sealed again under DATA_ENCRYPTION_KEY,
 * so the previous key can then be retired. One whose key is not configured is left as it
 * is and logged (by key id only).
 */
@Injectable()
export class ClusterKeyRotation implements OnApplicationBootstrap {
  private readonly logger = new Logger(ClusterKeyRotation.name);

  constructor(
    private readonly clusters: ClusterRepository,
    private readonly encryption: DataEncryption,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const current = this.encryption.currentKeyId;
    if (!current) return;
    for (const { _id: name, uri } of await this.clusters.findAll()) {
      if (uri.keyId === current) continue;
      let plaintext: string;
      try {
        plaintext = this.encryption.unseal(uri, name);
      } catch {
        this.logger.error(
          { cluster: name, keyId: uri.keyId },
          'The cluster’s connection string is sealed under a key that is not configured',
        );
        continue;
      }
      if (await this.clusters.replaceUri(name, uri.keyId, this.encryption.seal(plaintext, name))) {
        this.logger.log({ cluster: name, from: uri.keyId, to: current }, 'Re-encrypted a cluster');
      }
    }
  }
}
