import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { MongooseModule } from '@nestjs/mongoose';
import { getToken } from '@willsoto/nestjs-prometheus';
import type { Histogram } from 'prom-client';
import type { ValidatedEnvironment } from '../config/environment';
import { observeDatabaseCommands } from '../metrics/database-metrics';
import { DB_COMMAND_DURATION } from '../metrics/metric-definitions';
import { MetricsModule } from '../metrics/metrics.module';
import { EmbeddedDatabaseService } from './embedded-database.service';

/** While the database is unreachable, requests fail within this time instead of hanging. */
const SERVER_SELECTION_TIMEOUT_MS = 2_500;

@Module({ providers: [EmbeddedDatabaseService], exports: [EmbeddedDatabaseService] })
class EmbeddedDatabaseModule {}

/** The master database connection: MONGODB_URI, or an embedded server when it is unset. */
@Module({
  imports: [
    MongooseModule.forRootAsync({
      imports: [EmbeddedDatabaseModule, MetricsModule],
      inject: [ConfigService, EmbeddedDatabaseService, getToken(DB_COMMAND_DURATION)],
      useFactory: async (
        config: ConfigService<ValidatedEnvironment, true>,
        embedded: EmbeddedDatabaseService,
        commandDuration: Histogram<'command' | 'outcome'>,
      ) => ({
        // `||`, not `??`: for a variable validation left unset, ConfigService falls back to
        // process.env, where an empty MONGODB_URI is still the empty string.
        uri:
          config.get('MONGODB_URI', { infer: true }) ||
          (await embedded.start(config.get('DATA_DIR', { infer: true }))),
        dbName: config.get('MASTER_DB_NAME', { infer: true }),
        autoIndex: false,
        // Fail fast during an outage rather than queueing commands until it ends.
        bufferCommands: false,
        serverSelectionTimeoutMS: SERVER_SELECTION_TIMEOUT_MS,
        monitorCommands: true,
        onConnectionCreate: (connection) => observeDatabaseCommands(connection, commandDuration),
      }),
    }),
  ],
})
export class DatabaseModule {}
