import { Injectable, Logger, UnauthorizedException } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Types } from 'mongoose';
import { AuditAction, AuditTargetType } from '../audit/audit-action';
import { AuditTrail } from '../audit/audit-trail.service';
import { hashOpaqueToken, idOfOpaqueToken, newOpaqueToken } from '../common/opaque-token';
import type { ValidatedEnvironment } from '../config/environment';
import { AccessTokenService } from './access-token.service';
import { AdminRepository } from './admin.repository';
import type { AuthenticatedAdmin } from './authenticated-admin';
import { LoginResponseDto } from './dto/login-response.dto';
import type { Admin } from './schemas/admin.schema';
import type { Session } from './schemas/session.schema';
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
    private readonly audit: AuditTrail,
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
      if (await this.sessions.wasUsed(presented)) await this.endReused(session);
      throw new UnauthorizedException(INVALID_REFRESH);
    }
    // Of two uses of the current token racing, one insert wins; the other is reuse.
    if (!(await this.sessions.markUsed(presented, session))) {
      await this.endReused(session);
      throw new UnauthorizedException(INVALID_REFRESH);
    }
    const admin = await this.admins.findById(session.adminId);
    if (!admin) throw new UnauthorizedException(INVALID_REFRESH);
    const next = newOpaqueToken(sessionId);
    await this.sessions.rotate(sessionId, hashOpaqueToken(next), this.expiry());
    return this.pair(admin, sessionId, next);
  }

  /** Logout: the session's refresh token and access tokens stop working. */
  async logout(caller: AuthenticatedAdmin): Promise<void> {
    const sessionId = new Types.ObjectId(caller.sessionId);
    await this.sessions.end(sessionId);
    await this.audit.record({
      action: AuditAction.SessionLogout,
      actorId: caller.adminId,
      organizationId: caller.organizationId,
      target: { type: AuditTargetType.Session, id: sessionId },
    });
  }

  /** Every session of the admin: a password change or the member's removal. */
  endAll(adminId: Types.ObjectId): Promise<void> {
    return this.sessions.endAllOf(adminId);
  }

  /** Whoever sent the spent token is unknown (it may have leaked): the entry has no actor. */
  private async endReused(session: Session): Promise<void> {
    await this.sessions.end(session._id);
    this.logger.warn({ sessionId: session._id }, 'Refresh token reused; session ended');
    await this.audit.record({
      action: AuditAction.SessionRefreshReuse,
      actorId: null,
      organizationId: session.organizationId,
      target: { type: AuditTargetType.Session, id: session._id },
    });
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
