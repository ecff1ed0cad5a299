import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { ClusterKeyRotation } from './cluster-key-rotation';
import { ClusterRepository } from './cluster.repository';
import { DataEncryption } from './data-encryption.service';
import { Cluster, ClusterSchema } from './schemas/cluster.schema';

/** Registered clusters, the encryption of their connection strings and its key rotation. */
@Module({
  imports: [MongooseModule.forFeature([{ name: Cluster.name, schema: ClusterSchema }])],
  providers: [ClusterRepository, DataEncryption, ClusterKeyRotation],
  exports: [ClusterRepository, DataEncryption],
})
export class ClusterDataModule {}
