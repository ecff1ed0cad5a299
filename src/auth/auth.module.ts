import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { MongooseModule } from '@nestjs/mongoose';
import { PassportModule } from '@nestjs/passport';
import { ThrottlerModule } from '@nestjs/throttler';
import { AuditDataModule } from '../audit/audit-data.module';
import {
  RATE_LIMIT_STORAGE,
  RateLimitStorageModule,
} from '../common/rate-limit/rate-limit-storage.module';
import type { ValidatedEnvironment } from '../config/environment';
import { AccessTokenService } from './access-token.service';
import { AdminRepository } from './admin.repository';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { EmailClaimReconciler } from './email-claim-reconciler';
import { EmailClaimRepository } from './email-claim.repository';
import { JwtAuthGuard } from './jwt-auth.guard';
import { jwtKey } from './jwt-key';
import { JWT_ALGORITHM, JWT_AUDIENCE, JWT_ISSUER } from './jwt.constants';
import { JwtStrategy } from './jwt.strategy';
import { rateLimitOptions } from './rate-limits';
import { RolesGuard } from './roles.guard';
import { PasswordHasher } from './password-hasher.service';
import { Admin, AdminSchema } from './schemas/admin.schema';
import {
  RotatedRefreshToken,
  RotatedRefreshTokenSchema,
} from './schemas/rotated-refresh-token.schema';
import { Session, SessionSchema } from './schemas/session.schema';
import { SessionRepository } from './session.repository';
import { SessionService } from './session.service';
import { EmailClaim, EmailClaimSchema } from './schemas/email-claim.schema';
import { TokenCheckCache } from './token-check-cache';

@Module({
  imports: [
    MongooseModule.forFeature([
      { name: Admin.name, schema: AdminSchema },
      { name: EmailClaim.name, schema: EmailClaimSchema },
      { name: Session.name, schema: SessionSchema },
      { name: RotatedRefreshToken.name, schema: RotatedRefreshTokenSchema },
    ]),
    AuditDataModule,
    PassportModule,
    ThrottlerModule.forRootAsync({
      imports: [RateLimitStorageModule],
      inject: [ConfigService, RATE_LIMIT_STORAGE],
      useFactory: rateLimitOptions,
    }),
    JwtModule.registerAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService<ValidatedEnvironment, true>) => ({
        secret: jwtKey(config),
        signOptions: {
          algorithm: JWT_ALGORITHM,
          expiresIn: config.get('JWT_EXPIRES_IN', { infer: true }),
          issuer: JWT_ISSUER,
          audience: JWT_AUDIENCE,
        },
      }),
    }),
  ],
  controllers: [AuthController],
  providers: [
    AccessTokenService,
    AdminRepository,
    AuthService,
    EmailClaimReconciler,
    EmailClaimRepository,
    JwtStrategy,
    PasswordHasher,
    SessionRepository,
    SessionService,
    TokenCheckCache,
    // In this order: the token is checked (401) before the role (403).
    { provide: APP_GUARD, useClass: JwtAuthGuard },
    { provide: APP_GUARD, useClass: RolesGuard },
  ],
  exports: [
    AdminRepository,
    EmailClaimReconciler,
    EmailClaimRepository,
    PasswordHasher,
    SessionRepository,
    SessionService,
  ],
})
export class AuthModule {}
