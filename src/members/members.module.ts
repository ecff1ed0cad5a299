import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { OrganizationDataModule } from '../organization/organization-data.module';
import { MembersController } from './members.controller';
import { MembersService } from './members.service';

@Module({
  imports: [AuthModule, OrganizationDataModule],
  controllers: [MembersController],
  providers: [MembersService],
})
export class MembersModule {}
