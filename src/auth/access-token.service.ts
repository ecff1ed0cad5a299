import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import type { Types } from 'mongoose';
import type { AccessTokenClaims } from './authenticated-admin';
import { AccessTokenDto } from './dto/access-token.dto';
import type { Admin } from './schemas/admin.schema';

/** Signs an admin's bearer token at its current token version, within one session. */
@Injectable()
export class AccessTokenService {
  constructor(private readonly jwt: JwtService) {}

  async issue(admin: Admin, sessionId: Types.ObjectId): Promise<AccessTokenDto> {
    const claims: AccessTokenClaims = {
      sub: admin._id.toString(),
      org: admin.organizationId.toString(),
      ver: admin.tokenVersion,
      sid: sessionId.toString(),
    };
    const accessToken = await this.jwt.signAsync(claims);
    const { exp, iat } = this.jwt.decode<{ exp: number; iat: number }>(accessToken);
    return { access_token: accessToken, token_type: 'Bearer', expires_in: exp - iat };
  }
}
