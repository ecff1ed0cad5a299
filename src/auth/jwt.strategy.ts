import { Injectable, UnauthorizedException } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { PassportStrategy } from '@nestjs/passport';
import { isValidObjectId, Types } from 'mongoose';
import { ExtractJwt, Strategy } from 'passport-jwt';
import type { ValidatedEnvironment } from '../config/environment';
import { AdminRepository } from './admin.repository';
import type { AccessTokenClaims, AuthenticatedAdmin } from './authenticated-admin';
import {
  JWT_ALGORITHM,
  JWT_AUDIENCE,
  JWT_CLOCK_TOLERANCE_SECONDS,
  JWT_ISSUER,
} from './jwt.constants';

/**
 * Verifies the signature, algorithm, issuer, audience, expiry and not-before (both with a
 * few seconds of clock tolerance), then checks the token against the database: the admin
 * still exists, still belongs to the organization, and has not changed password since the
 * token was issued.
 */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy) {
  constructor(
    config: ConfigService<ValidatedEnvironment, true>,
    private readonly admins: AdminRepository,
  ) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      secretOrKey: config.get('JWT_SECRET', { infer: true }),
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
    if (typeof claims.exp !== 'number' || !isValidObjectId(claims.sub) || !claims.org) {
      throw new UnauthorizedException();
    }
    const admin = await this.admins.findById(new Types.ObjectId(claims.sub));
    if (
      !admin ||
      admin.organizationId.toString() !== claims.org ||
      admin.tokenVersion !== claims.ver
    ) {
      throw new UnauthorizedException();
    }
    return { adminId: admin._id.toString(), organizationId: claims.org };
  }
}
