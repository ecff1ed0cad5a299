import { Module } from '@nestjs/common';
import { AuditDataModule } from '../audit/audit-data.module';
import { AuthModule } from '../auth/auth.module';
import { OrganizationDataModule } from '../organization/organization-data.module';
import { InvitationsController } from './invitations.controller';
import { InvitationsService } from './invitations.service';
import { MemberDataModule } from './member-data.module';
import { MembersController } from './members.controller';
import { MembersService } from './members.service';

@Module({
  imports: [AuditDataModule, AuthModule, MemberDataModule, OrganizationDataModule],
  controllers: [MembersController, InvitationsController],
  providers: [MembersService, InvitationsService],
})
export class MembersModule {}
