import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { InvitationRepository } from './invitation.repository';
import { Invitation, InvitationSchema } from './schemas/invitation.schema';
import { InvitationOutcome, InvitationOutcomeSchema } from './schemas/invitation-outcome.schema';

/** Invitations, apart from the services that use them: the lifecycle deletes them too. */
@Module({
  imports: [
    MongooseModule.forFeature([
      { name: Invitation.name, schema: InvitationSchema },
      { name: InvitationOutcome.name, schema: InvitationOutcomeSchema },
    ]),
  ],
  providers: [InvitationRepository],
  exports: [InvitationRepository],
})
export class MemberDataModule {}
