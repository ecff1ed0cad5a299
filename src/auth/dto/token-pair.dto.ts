import { ApiProperty } from '@nestjs/swagger';
import { IsDefined, IsString, Matches } from 'class-validator';
import { OPAQUE_TOKEN } from '../../common/opaque-token';
import { AccessTokenDto } from './access-token.dto';

/** An access token and the refresh token that renews it. */
export class TokenPairDto extends AccessTokenDto {
  @ApiProperty({
    description:
      'Opaque; send it to POST /admin/refresh for a new pair. Single use: each refresh ' +
      'returns the next one, and presenting a used one ends the session.',
    example: '665f1c2e8b3e4a0012345681.q2Vb1oF0mM3n8p7Jk3n8WvX1sQ3G4h5J6k7L8m9N0pA',
  })
  refresh_token: string;

  @ApiProperty({ description: 'Lifetime of the refresh token in seconds', example: 2592000 })
  refresh_expires_in: number;
}

export class RefreshDto {
  @ApiProperty({ description: 'The latest refresh token of the session' })
  @Matches(OPAQUE_TOKEN, { message: 'refresh_token is not a refresh token' })
  @IsString({ message: 'refresh_token must be a string' })
  @IsDefined({ message: 'refresh_token is required' })
  refresh_token: string;
}
