import { GoneException, Injectable, NotFoundException } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Types } from 'mongoose';
import { AuditAction, AuditTargetType } from '../audit/audit-action';
import { AuditTrail } from '../audit/audit-trail.service';
import { AdminRepository } from '../auth/admin.repository';
import type { AuthenticatedAdmin } from '../auth/authenticated-admin';
import { EmailClaimRepository } from '../auth/email-claim.repository';
import { PasswordHasher } from '../auth/password-hasher.service';
import type { ValidatedEnvironment } from '../config/environment';
import { emailTaken, rethrowDuplicateAs } from '../organization/organization-conflicts';
import { OrganizationLocks } from '../organization/organization-locks';
import { OrganizationRepository } from '../organization/organization.repository';
import { OrganizationStatus } from '../organization/schemas/organization.schema';
import {
  AcceptedInvitationDto,
  AcceptInvitationDto,
  CreatedInvitationDto,
  CreateInvitationDto,
  InvitationListDto,
  toInvitation,
} from './dto/invitation.dto';
import {
  hashOpaqueToken,
  idOfOpaqueToken,
  newOpaqueToken,
  opaqueTokenMatches,
} from '../common/opaque-token';
import { InvitationRepository } from './invitation.repository';
import { assertMayManage, organizationOf } from './member-rules';
import { MEMBER_LOCK_WAIT_MS } from './members.service';
import { InvitationOutcomeKind } from './schemas/invitation-outcome.schema';
import type { Invitation } from './schemas/invitation.schema';

const MS_PER_SECOND = 1000;
const NOT_FOUND = 'Invitation not found';
const ENDED = 'This invitation was already used or revoked';

@Injectable()
export class InvitationsService {
  private readonly ttlMs: number;

  constructor(
    private readonly invitations: InvitationRepository,
    private readonly admins: AdminRepository,
    private readonly emails: EmailClaimRepository,
    private readonly passwords: PasswordHasher,
    private readonly organizations: OrganizationRepository,
    private readonly locks: OrganizationLocks,
    private readonly audit: AuditTrail,
    config: ConfigService<ValidatedEnvironment, true>,
  ) {
    this.ttlMs = config.get('INVITATION_TTL', { infer: true }) * MS_PER_SECOND;
  }

  /** An email that already belongs to an admin (of any organization) is refused at once. */
  async invite(
    caller: AuthenticatedAdmin,
    { email, role }: CreateInvitationDto,
  ): Promise<CreatedInvitationDto> {
    assertMayManage(caller, role);
    if (await this.emails.holderOf(email)) throw emailTaken();
    const _id = new Types.ObjectId();
    const token = newOpaqueToken(_id);
    const invitation = await this.invitations.insert({
      _id,
      organizationId: organizationOf(caller),
      email,
      role,
      tokenHash: hashOpaqueToken(token),
      invitedBy: new Types.ObjectId(caller.adminId),
      expiresAt: new Date(Date.now() + this.ttlMs),
    });
    await this.record(caller, AuditAction.MemberInvite, invitation);
    return { ...toInvitation(invitation), token };
  }

  async listPending(caller: AuthenticatedAdmin): Promise<InvitationListDto> {
    const pending = await this.invitations.listPending(organizationOf(caller), new Date());
    return { invitations: pending.map(toInvitation) };
  }

  /** Only a member who may invite for the invitation's role may revoke it. */
  async revoke(caller: AuthenticatedAdmin, invitationId: string): Promise<void> {
    const invitation = await this.invitations.findById(new Types.ObjectId(invitationId));
    if (!invitation?.organizationId.equals(caller.organizationId)) {
      throw new NotFoundException(NOT_FOUND);
    }
    assertMayManage(caller, invitation.role);
    const revoked = await this.invitations.end(
      invitation,
      InvitationOutcomeKind.Revoked,
      new Types.ObjectId(caller.adminId),
    );
    if (!revoked) throw new GoneException(ENDED);
    await this.record(caller, AuditAction.MemberRevokeInvitation, invitation);
  }

  /**
   * Creates the member. The invitation is ended first (an `_id` insert, so only one of
   * concurrent acceptances gets past it), then the email is claimed, then the admin
   * inserted; a failure after the first step undoes what was done. Under the organization's
   * lock, so an acceptance never lands in an organization being deleted.
   */
  async accept({ token, password }: AcceptInvitationDto): Promise<AcceptedInvitationDto> {
    const invitation = await this.usable(token);
    if (await this.emails.holderOf(invitation.email)) throw emailTaken();
    const passwordHash = await this.passwords.hash(password);
    const organizationId = invitation.organizationId;
    return this.locks.run(
      organizationId,
      async () => {
        const organization = await this.organizations.findById(organizationId);
        if (organization?.status !== OrganizationStatus.Active) {
          throw new GoneException('The organization of this invitation no longer exists');
        }
        const adminId = new Types.ObjectId();
        if (!(await this.invitations.end(invitation, InvitationOutcomeKind.Accepted, adminId))) {
          throw new GoneException(ENDED);
        }
        const { email, role } = invitation;
        try {
          await this.emails
            .claim(email, adminId, organizationId)
            .catch(rethrowDuplicateAs(emailTaken()));
          await this.admins.insert({ _id: adminId, email, passwordHash, organizationId, role });
        } catch (error) {
          await this.emails.release(email, adminId);
          await this.invitations.reopen(invitation._id, adminId);
          throw error;
        }
        await this.audit.record({
          action: AuditAction.MemberAccept,
          actorId: adminId,
          organizationId,
          target: { type: AuditTargetType.Admin, id: adminId, email, role },
        });
        return {
          admin_id: adminId.toString(),
          organization_id: organizationId.toString(),
          email,
          role,
        };
      },
      MEMBER_LOCK_WAIT_MS,
    );
  }

  private record(
    caller: AuthenticatedAdmin,
    action: AuditAction,
    { _id, organizationId, email, role }: Invitation,
  ): Promise<void> {
    return this.audit.record({
      action,
      actorId: caller.adminId,
      organizationId,
      target: { type: AuditTargetType.Invitation, id: _id, email, role },
    });
  }

  /** The token's invitation if it can still be accepted: 404 unknown, 410 ended or expired. */
  private async usable(token: string): Promise<Invitation> {
    const invitation = await this.invitations.findById(idOfOpaqueToken(token));
    if (!invitation || !opaqueTokenMatches(token, invitation.tokenHash)) {
      throw new NotFoundException(NOT_FOUND);
    }
    if (await this.invitations.hasEnded(invitation._id)) throw new GoneException(ENDED);
    if (invitation.expiresAt.getTime() <= Date.now()) {
      throw new GoneException('This invitation has expired');
    }
    return invitation;
  }
}
