import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, trusted, Types } from 'mongoose';
import { isMongoError, MongoErrorCode } from '../common/mongo-errors';
import { RotatedRefreshToken } from './schemas/rotated-refresh-token.schema';
import { Session } from './schemas/session.schema';
import { TokenCheckCache } from './token-check-cache';

export type NewSession = Pick<
  Session,
  '_id' | 'adminId' | 'organizationId' | 'refreshHash' | 'expiresAt'
>;

/**
 * The `sessions` and `rotated_refresh_tokens` collections. Every change that ends a
 * session tells this instance's token-check cache once it is written.
 */
@Injectable()
export class SessionRepository implements OnModuleInit {
  constructor(
    @InjectModel(Session.name) private readonly sessions: Model<Session>,
    @InjectModel(RotatedRefreshToken.name) private readonly rotated: Model<RotatedRefreshToken>,
    private readonly tokenChecks: TokenCheckCache,
  ) {}

  async onModuleInit(): Promise<void> {
    await Promise.all([this.sessions.createIndexes(), this.rotated.createIndexes()]);
  }

  async insert(session: NewSession): Promise<void> {
    await this.sessions.create(session);
  }

  findById(id: Types.ObjectId): Promise<Session | null> {
    return this.sessions.findById(id).lean<Session>().exec();
  }

  /** Records the use of a refresh token; false when it had been used already. */
  async markUsed(refreshHash: string, session: Session): Promise<boolean> {
    try {
      await this.rotated.create({
        _id: refreshHash,
        sessionId: session._id,
        organizationId: session.organizationId,
        expiresAt: session.expiresAt,
      });
      return true;
    } catch (error) {
      if (isMongoError(error, MongoErrorCode.DuplicateKey)) return false;
      throw error;
    }
  }

  async wasUsed(refreshHash: string): Promise<boolean> {
    return (await this.rotated.exists({ _id: refreshHash }).exec()) !== null;
  }

  /** Gives the session its next refresh token; `markUsed` has already settled any race. */
  async rotate(id: Types.ObjectId, refreshHash: string, expiresAt: Date): Promise<void> {
    await this.sessions.updateOne({ _id: id }, { $set: { refreshHash, expiresAt } }).exec();
  }

  async end(id: Types.ObjectId): Promise<void> {
    await this.sessions.deleteOne({ _id: id }).exec();
    this.tokenChecks.forgetSession(id.toString());
  }

  async endAllOf(adminId: Types.ObjectId): Promise<void> {
    await this.sessions.deleteMany({ adminId }).exec();
    this.tokenChecks.forgetAdmin(adminId.toString());
  }

  /** Sessions and used refresh tokens past REFRESH_TTL: for the reconciler's sweep. */
  async deleteExpired(now: Date): Promise<void> {
    const expired = { expiresAt: trusted({ $lte: now }) };
    await this.sessions.deleteMany(expired).exec();
    await this.rotated.deleteMany(expired).exec();
  }

  async deleteByOrganization(organizationId: Types.ObjectId): Promise<void> {
    await this.sessions.deleteMany({ organizationId }).exec();
    await this.rotated.deleteMany({ organizationId }).exec();
    this.tokenChecks.forgetOrganization(organizationId.toString());
  }
}
