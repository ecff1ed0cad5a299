import { Injectable, Logger, UnauthorizedException } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Types } from 'mongoose';
import { hashOpaqueToken, idOfOpaqueToken, newOpaqueToken } from '../common/opaque-token';
import type { ValidatedEnvironment } from '../config/environment';
import { AccessTokenService } from './access-token.service';
import { AdminRepository } from './admin.repository';
import { LoginResponseDto } from './dto/login-response.dto';
import type { Admin } from './schemas/admin.schema';
import { SessionRepository } from './session.repository';

const MS_PER_SECOND = 1000;
const INVALID_REFRESH = 'Invalid, expired or revoked refresh token';

/**
 * Sessions with rotating refresh tokens and reuse detection (OAuth 2.1): every refresh
 * returns a new pair and retires the token it used; presenting a retired token again means
 * it leaked, so the whole session ends, the current refresh token and access tokens with it.
 */
@Injectable()
export class SessionService {
  private readonly logger = new Logger(SessionService.name);
  private readonly ttlSeconds: number;

  constructor(
    private readonly sessions: SessionRepository,
    private readonly admins: AdminRepository,
    private readonly tokens: AccessTokenService,
    config: ConfigService<ValidatedEnvironment, true>,
  ) {
    this.ttlSeconds = config.get('REFRESH_TTL', { infer: true });
  }

  /** A new session for the admin, and its first pair of tokens. */
  async start(admin: Admin): Promise<LoginResponseDto> {
    const _id = new Types.ObjectId();
    const refreshToken = newOpaqueToken(_id);
    await this.sessions.insert({
      _id,
      adminId: admin._id,
      organizationId: admin.organizationId,
      refreshHash: hashOpaqueToken(refreshToken),
      expiresAt: this.expiry(),
    });
    return this.pair(admin, _id, refreshToken);
  }

  async refresh(refreshToken: string): Promise<LoginResponseDto> {
    const sessionId = idOfOpaqueToken(refreshToken);
    const presented = hashOpaqueToken(refreshToken);
    const session = await this.sessions.findById(sessionId);
    if (!session || session.expiresAt.getTime() <= Date.now()) {
      throw new UnauthorizedException(INVALID_REFRESH);
    }
    if (session.refreshHash !== presented) {
      // A token this session rotated away from is reuse; anything else is just wrong.
      if (await this.sessions.wasUsed(presented)) await this.endReused(sessionId);
      throw new UnauthorizedException(INVALID_REFRESH);
    }
    // Of two uses of the current token racing, one insert wins; the other is reuse.
    if (!(await this.sessions.markUsed(presented, session))) {
      await this.endReused(sessionId);
      throw new UnauthorizedException(INVALID_REFRESH);
    }
    const admin = await this.admins.findById(session.adminId);
    if (!admin) throw new UnauthorizedException(INVALID_REFRESH);
    const next = newOpaqueToken(sessionId);
    await this.sessions.rotate(sessionId, hashOpaqueToken(next), this.expiry());
    return this.pair(admin, sessionId, next);
  }

  /** Logout: the session's refresh token and access tokens stop working. */
  end(sessionId: string): Promise<void> {
    return this.sessions.end(new Types.ObjectId(sessionId));
  }

  /** Every session of the admin: a password change or the member's removal. */
  endAll(adminId: Types.ObjectId): Promise<void> {
    return this.sessions.endAllOf(adminId);
  }

  private async endReused(sessionId: Types.ObjectId): Promise<void> {
    await this.sessions.end(sessionId);
    this.logger.warn({ sessionId }, 'Refresh token reused; session ended');
  }

  private async pair(
    admin: Admin,
    sessionId: Types.ObjectId,
    refreshToken: string,
  ): Promise<LoginResponseDto> {
    return {
      ...(await this.tokens.issue(admin, sessionId)),
      refresh_token: refreshToken,
      refresh_expires_in: this.ttlSeconds,
      admin_id: admin._id.toString(),
      organization_id: admin.organizationId.toString(),
    };
  }

  private expiry(): Date {
    return new Date(Date.now() + this.ttlSeconds * MS_PER_SECOND);
  }
}
