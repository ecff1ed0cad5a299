import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { isMongoError, MongoErrorCode } from '../common/mongo-errors';
import type { SealedSecret } from './data-encryption';
import { Cluster } from './schemas/cluster.schema';

/** The `clusters` collection of the master database. */
@Injectable()
export class ClusterRepository {
  constructor(@InjectModel(Cluster.name) private readonly clusters: Model<Cluster>) {}

  /** False when a cluster of that name is already registered. */
  async insert(cluster: Omit<Cluster, 'createdAt'>): Promise<boolean> {
    try {
      await this.clusters.create(cluster);
      return true;
    } catch (error) {
      if (isMongoError(error, MongoErrorCode.DuplicateKey)) return false;
      throw error;
    }
  }

  findByName(name: string): Promise<Cluster | null> {
    return this.clusters.findById(name).lean<Cluster>().exec();
  }

  /** Replaces the sealed URI only if it is still the one sealed under `previousKeyId`. */
  async replaceUri(name: string, previousKeyId: string, uri: SealedSecret): Promise<boolean> {
    const { modifiedCount } = await this.clusters
      .updateOne({ _id: name, 'uri.keyId': previousKeyId }, { $set: { uri } })
      .exec();
    return modifiedCount === 1;
  }

  findAll(): Promise<Cluster[]> {
    return this.clusters.find().sort({ _id: 1 }).lean<Cluster[]>().exec();
  }
}
