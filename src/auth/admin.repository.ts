import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, trusted, Types } from 'mongoose';
import { Role } from './role';
import { Admin } from './schemas/admin.schema';
import { TokenCheckCache } from './token-check-cache';

export interface NewAdmin {
  _id: Types.ObjectId;
  email: string;
  passwordHash: string;
  organizationId: Types.ObjectId;
  role: Role;
}

export interface CredentialChange {
  email?: string;
  passwordHash?: string;
}

/**
 * The `admins` collection of the master database. Every change that revokes tokens tells
 * this instance's token-check cache once it is written.
 */
@Injectable()
export class AdminRepository implements OnModuleInit {
  constructor(
    @InjectModel(Admin.name) private readonly admins: Model<Admin>,
    private readonly tokenChecks: TokenCheckCache,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.admins.createIndexes();
  }

  findById(id: Types.ObjectId): Promise<Admin | null> {
    return this.admins.findById(id).lean<Admin>().exec();
  }

  findByIds(ids: Types.ObjectId[]): Promise<Admin[]> {
    return this.admins
      .find({ _id: trusted({ $in: ids }) })
      .lean<Admin[]>()
      .exec();
  }

  /** The members of an organization, oldest first; by the `organizationId` index. */
  listByOrganization(organizationId: Types.ObjectId): Promise<Admin[]> {
    return this.admins
      .find({ organizationId })
      .sort({ createdAt: 1, _id: 1 })
      .lean<Admin[]>()
      .exec();
  }

  /** Changes a member's role; its tokens stay valid and carry the new role from now on. */
  async setRole(id: Types.ObjectId, organizationId: Types.ObjectId, role: Role): Promise<void> {
    await this.admins.updateOne({ _id: id, organizationId }, { $set: { role } }).exec();
    this.tokenChecks.forgetAdmin(id.toString());
  }

  /** Removes a member; the token check then finds no admin, so its tokens die at once. */
  async remove(id: Types.ObjectId, organizationId: Types.ObjectId): Promise<void> {
    await this.admins.deleteOne({ _id: id, organizationId }).exec();
    this.tokenChecks.forgetAdmin(id.toString());
  }

  /** Every admin's id, email and organization: for the reconciler's full pass. */
  listEmails(): Promise<Pick<Admin, '_id' | 'email' | 'organizationId'>[]> {
    return this.admins
      .find({}, { email: 1, organizationId: 1 })
      .lean<Pick<Admin, '_id' | 'email' | 'organizationId'>[]>()
      .exec();
  }

  async insert(admin: NewAdmin): Promise<Admin> {
    const created = await this.admins.create(admin);
    return created.toObject();
  }

  /** A new password hash also raises the token version, which revokes earlier tokens. */
  async updateCredentials(id: Types.ObjectId, change: CredentialChange): Promise<Admin | null> {
    const updated = await this.admins
      .findByIdAndUpdate(
        id,
        { $set: change, ...(change.passwordHash ? { $inc: { tokenVersion: 1 } } : {}) },
        { new: true },
      )
      .lean<Admin>()
      .exec();
    if (change.passwordHash) this.tokenChecks.forgetAdmin(id.toString());
    return updated;
  }

  async deleteByOrganization(organizationId: Types.ObjectId): Promise<void> {
    await this.admins.deleteMany({ organizationId }).exec();
    this.tokenChecks.forgetOrganization(organizationId.toString());
  }
}
