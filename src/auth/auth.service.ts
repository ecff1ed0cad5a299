import { Injectable, UnauthorizedException } from '@nestjs/common';
import { AuditAction, AuditTargetType } from '../audit/audit-action';
import { AuditTrail } from '../audit/audit-trail.service';
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
    private readonly audit: AuditTrail,
  ) {}

  /**
   * An unknown email and a wrong password get the same answer after the same work. The
   * admin is found by two `_id` reads (the email's claim, then the admin), never a scan.
   * Every attempt is audited: a failure against a known account names that admin; one for
   * an unknown email is a single anonymous entry that keeps nothing of what was sent (the
   * "email" may be a mistyped password).
   */
  async login({ email, password }: LoginDto): Promise<LoginResponseDto> {
    const holder = await this.emails.holderOf(email);
    const found = holder ? await this.admins.findById(holder) : null;
    // A claim left by an unfinished email change does not log in with the old email.
    const admin = found?.email === email ? found : null;
    const valid = await this.passwords.verify(password, admin?.passwordHash);
    if (!admin || !valid) {
      await this.audit.record({
        action: AuditAction.LoginFailure,
        actorId: null,
        organizationId: admin?.organizationId ?? null,
        target: admin ? { type: AuditTargetType.Admin, id: admin._id, email: admin.email } : null,
      });
      throw new UnauthorizedException(INVALID_CREDENTIALS);
    }

    const tokens = await this.sessions.start(admin);
    await this.audit.record({
      action: AuditAction.LoginSuccess,
      actorId: admin._id,
      organizationId: admin.organizationId,
      target: { type: AuditTargetType.Admin, id: admin._id, email: admin.email },
    });
    return tokens;
  }
}
