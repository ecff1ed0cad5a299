import { Body, Controller, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrorResponses } from '../common/api-error-responses.decorator';
import { AuthService } from './auth.service';
import type { AuthenticatedAdmin } from './authenticated-admin';
import { CurrentAdmin } from './decorators/current-admin.decorator';
import { Roles } from './decorators/roles.decorator';
import { RefreshDto } from './dto/token-pair.dto';
import { ANY_MEMBER } from './role';
import { SessionService } from './session.service';
import { Public } from './decorators/public.decorator';
import { LoginDto } from './dto/login.dto';
import { LoginResponseDto } from './dto/login-response.dto';
import { LoginRateLimits } from './rate-limits';

@ApiTags('admin')
@Controller('admin')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly sessions: SessionService,
  ) {}

  @Post('login')
  @Public()
  @LoginRateLimits()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Log in as a member: a bearer token and a refresh token, in a new session',
    description:
      'Attempts are limited per client address and per email; over a limit the answer is ' +
      '429 with Retry-After (seconds) until the block ends.',
  })
  @ApiOkResponse({ type: LoginResponseDto })
  @ApiErrorResponses(400, 401, 429)
  login(@Body() dto: LoginDto): Promise<LoginResponseDto> {
    return this.auth.login(dto);
  }

  @Post('refresh')
  @Public()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Trade the session’s refresh token for a new pair',
    description:
      'The refresh token rotates: the answer carries the next one, and the one sent is ' +
      'spent. Sending a spent one again ends the whole session (reuse detection).',
  })
  @ApiOkResponse({ type: LoginResponseDto })
  @ApiErrorResponses(400, 401)
  refresh(@Body() dto: RefreshDto): Promise<LoginResponseDto> {
    return this.sessions.refresh(dto.refresh_token);
  }

  @Post('logout')
  @Roles(...ANY_MEMBER)
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    summary: 'End the caller’s session: its access and refresh tokens stop working at once',
  })
  @ApiNoContentResponse({ description: 'Session ended' })
  logout(@CurrentAdmin() caller: AuthenticatedAdmin): Promise<void> {
    return this.sessions.logout(caller);
  }
}
