import { Injectable, OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { compare, hash } from 'bcryptjs';
import type { ValidatedEnvironment } from '../config/environment';

/** bcrypt with the configured cost. Passwords are limited to 72 bytes before they get here. */
@Injectable()
export class PasswordHasher implements OnModuleInit {
  private readonly cost: number;
  private dummyHash: string;

  constructor(config: ConfigService<ValidatedEnvironment, true>) {
    this.cost = config.get('BCRYPT_COST', { infer: true });
  }

  async onModuleInit(): Promise<void> {
    this.dummyHash = await hash('not-a-real-password', this.cost);
  }

  hash(password: string): Promise<string> {
    return hash(password, this.cost);
  }

  /** With no stored hash, compares against a dummy one so both paths take the same time. */
  async verify(password: string, storedHash: string | undefined): Promise<boolean> {
    const match = await compare(password, storedHash ?? this.dummyHash);
    return match && storedHash !== undefined;
  }
}
