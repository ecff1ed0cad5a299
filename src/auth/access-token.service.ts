import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import type { AccessTokenClaims } from './authenticated-admin';
import { AccessTokenDto } from './dto/access-token.dto';
import type { Admin } from './schemas/admin.schema';

/** Signs an admin's bearer token at its current token version. */
@Injectable()
export class AccessTokenService {
  constructor(private readonly jwt: JwtService) {}

  async issue(admin: Admin): Promise<AccessTokenDto> {
    const claims: AccessTokenClaims = {
      sub: admin._id.toString(),
      org: admin.organizationId.toString(),
      ver: admin.tokenVersion,
    };
    const accessToken = await this.jwt.signAsync(claims);
    const { exp, iat } = this.jwt.decode<{ exp: number; iat: number }>(accessToken);
    return { access_token: accessToken, token_type: 'Bearer', expires_in: exp - iat };
  }
}
