import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { startEmbeddedDatabase, type EmbeddedDatabase } from './embedded-database';

/** Starts the embedded database on demand and stops it with the application. */
@Injectable()
export class EmbeddedDatabaseService implements OnApplicationShutdown {
  private readonly logger = new Logger('Database');
  private database?: EmbeddedDatabase;

  async start(dataDir: string): Promise<string> {
    this.database = await startEmbeddedDatabase(dataDir);
    this.logger.warn(
      `MONGODB_URI is not set: started an embedded ${this.database.engine} at ${this.database.uri} ` +
        `with its data in ${dataDir}`,
    );
    return this.database.uri;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.database?.stop();
  }
}
