import { Injectable, UnauthorizedException } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { PassportStrategy } from '@nestjs/passport';
import { isValidObjectId, Types } from 'mongoose';
import { ExtractJwt, Strategy } from 'passport-jwt';
import type { ValidatedEnvironment } from '../config/environment';
import { AdminRepository } from './admin.repository';
import type { AccessTokenClaims, AuthenticatedAdmin } from './authenticated-admin';
import { jwtKey } from './jwt-key';
import { roleOf } from './role';
import {
  JWT_ALGORITHM,
  JWT_AUDIENCE,
  JWT_CLOCK_TOLERANCE_SECONDS,
  JWT_ISSUER,
} from './jwt.constants';
import { SessionRepository } from './session.repository';
import { type CheckedSession, TokenCheckCache } from './token-check-cache';

/**
 * Verifies the signature, algorithm, issuer, audience, expiry and not-before (both with a
 * few seconds of clock tolerance), then checks the token against the database: its session
 * has not ended, and its admin still exists, still belongs to the organization, and has not
 * changed password since the token was issued; the admin's role is read there too. That
 * check is two reads by `_id`, reused for TOKEN_CHECK_TTL_MS.
 */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy) {
  constructor(
    config: ConfigService<ValidatedEnvironment, true>,
    private readonly admins: AdminRepository,
    private readonly sessions: SessionRepository,
    private readonly checks: TokenCheckCache,
  ) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      // passport-jwt hands the key to jsonwebtoken, which takes a KeyObject; its types
      // predate that.
      secretOrKey: jwtKey(config) as unknown as Buffer,
      algorithms: [JWT_ALGORITHM],
      issuer: JWT_ISSUER,
      audience: JWT_AUDIENCE,
      ignoreExpiration: false,
      jsonWebTokenOptions: { clockTolerance: JWT_CLOCK_TOLERANCE_SECONDS },
    });
  }

  async validate(
    claims: Partial<AccessTokenClaims> & { exp?: unknown },
  ): Promise<AuthenticatedAdmin> {
    if (
      typeof claims.exp !== 'number' ||
      typeof claims.sub !== 'string' ||
      !isValidObjectId(claims.sub) ||
      typeof claims.sid !== 'string' ||
      !isValidObjectId(claims.sid) ||
      !claims.org
    ) {
      throw new UnauthorizedException();
    }
    const checked = this.checks.get(claims.sid) ?? (await this.readSession(claims.sid));
    if (
      !checked ||
      checked.adminId !== claims.sub ||
      checked.organizationId !== claims.org ||
      checked.tokenVersion !== claims.ver
    ) {
      throw new UnauthorizedException();
    }
    return {
      adminId: claims.sub,
      organizationId: claims.org,
      role: checked.role,
      sessionId: claims.sid,
    };
  }

  /** The session, then its admin: two `_id` reads. Undefined when either is gone. */
  private async readSession(sessionId: string): Promise<CheckedSession | undefined> {
    const remember = this.checks.beginRead();
    const session = await this.sessions.findById(new Types.ObjectId(sessionId));
    const admin = session ? await this.admins.findById(session.adminId) : null;
    if (!admin) return undefined;
    const checked = {
      adminId: admin._id.toString(),
      organizationId: admin.organizationId.toString(),
      tokenVersion: admin.tokenVersion,
      role: roleOf(admin),
    };
    remember(sessionId, checked);
    return checked;
  }
}
