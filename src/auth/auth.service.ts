import { Injectable, UnauthorizedException } from '@nestjs/common';
import { AdminRepository } from './admin.repository';
import { EmailClaimRepository } from './email-claim.repository';
import { LoginDto } from './dto/login.dto';
import { LoginResponseDto } from './dto/login-response.dto';
import { PasswordHasher } from './password-hasher.service';
import { SessionService } from './session.service';

const INVALID_CREDENTIALS = 'Invalid email or password';

@Injectable()
export class AuthService {
  constructor(
    private readonly admins: AdminRepository,
    private readonly emails: EmailClaimRepository,
    private readonly passwords: PasswordHasher,
    private readonly sessions: SessionService,
  ) {}

  /**
   * An unknown email and a wrong password get the same answer after the same work. The
   * admin is found by two `_id` reads (the email's claim, then the admin), never a scan.
   */
  async login({ email, password }: LoginDto): Promise<LoginResponseDto> {
    const holder = await this.emails.holderOf(email);
    const found = holder ? await this.admins.findById(holder) : null;
    // A claim left by an unfinished email change does not log in with the old email.
    const admin = found?.email === email ? found : null;
    const valid = await this.passwords.verify(password, admin?.passwordHash);
    if (!admin || !valid) throw new UnauthorizedException(INVALID_CREDENTIALS);

    return this.sessions.start(admin);
  }
}
