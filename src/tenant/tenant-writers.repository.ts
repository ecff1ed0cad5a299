import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, trusted, Types } from 'mongoose';
import { TenantWriter } from './schemas/tenant-writer.schema';

/** The `tenant_writers` collection: which instances may be writing to which organization. */
@Injectable()
export class TenantWritersRepository implements OnModuleInit {
  constructor(@InjectModel(TenantWriter.name) private readonly writers: Model<TenantWriter>) {}

  async onModuleInit(): Promise<void> {
    await this.writers.createIndexes();
  }

  async register(
    organizationId: Types.ObjectId,
    instanceId: Types.ObjectId,
  ): Promise<Types.ObjectId> {
    const { _id } = await this.writers.create({ organizationId, instanceId });
    return _id;
  }

  async remove(ids: Types.ObjectId[]): Promise<void> {
    if (ids.length === 0) return;
    await this.writers.deleteMany({ _id: trusted({ $in: ids }) }).exec();
  }

  findAll(): Promise<TenantWriter[]> {
    return this.writers.find().lean<TenantWriter[]>().exec();
  }

  findByOrganization(organizationId: Types.ObjectId): Promise<TenantWriter[]> {
    return this.writers.find({ organizationId }).lean<TenantWriter[]>().exec();
  }
}
