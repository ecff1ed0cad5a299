import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { ClusterRepository } from './cluster.repository';
import { DataEncryption } from './data-encryption.service';
import { Cluster, ClusterSchema } from './schemas/cluster.schema';

/** Registered clusters and the encryption of their connection strings. */
@Module({
  imports: [MongooseModule.forFeature([{ name: Cluster.name, schema: ClusterSchema }])],
  providers: [ClusterRepository, DataEncryption],
  exports: [ClusterRepository, DataEncryption],
})
export class ClusterDataModule {}
