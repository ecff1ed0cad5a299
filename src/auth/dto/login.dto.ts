import { IsAdminEmail, IsPresentedPassword } from './credential.decorators';

export class LoginDto {
  @IsAdminEmail()
  email: string;

  @IsPresentedPassword()
  password: string;
}
